// The chat page on the classic ASP.NET SignalR 2 jQuery client (2.4.3) and its generated proxy
// (/signalr/hubs): the same hub, rooms and messages as the main page (chat.js), which it talks to live.
"use strict";

(function () {
	const byId = (id) => document.getElementById(id);
	const nameInput = byId("name");
	const roomInput = byId("room");
	const messageInput = byId("message");
	const stateLabel = byId("state");
	const messageList = byId("messages");
	const roomList = byId("rooms");
	const actionButtons = [byId("join"), byId("leave"), byId("send"), byId("send-room")];

	const hub = $.connection.hub;
	const chat = $.connection.chatHub;
	const states = $.signalR.connectionState;
	const joinedRooms = new Set();
	// true while the page itself stops the connection (a new name): no automatic restart then
	let stopping = false;
	let retry = null;

	nameInput.value = localStorage.getItem("chat.name") || "guest-" + Math.floor(1000 + Math.random() * 9000);

	function userName() {
		return nameInput.value.trim() || "anonymous";
	}

	function showState(state, text) {
		stateLabel.dataset.state = state;
		stateLabel.textContent = text;
		actionButtons.forEach((button) => { button.disabled = state !== "connected"; });
	}

	function addEntry(kind, parts) {
		const item = document.createElement("li");
		item.className = kind;
		parts.forEach(([tag, text]) => {
			const node = document.createElement(tag);
			node.textContent = text;
			item.appendChild(node);
		});
		messageList.appendChild(item);
		messageList.scrollTop = messageList.scrollHeight;
	}

	function showRooms() {
		roomList.textContent = joinedRooms.size ? [...joinedRooms].map((room) => "#" + room).join(", ") : "none";
	}

	function report(error) {
		addEntry("error", [["span", String(error && error.message ? error.message : error)]]);
	}

	// The jQuery client returns jQuery Deferreds; this turns a hub call into a Promise.
	function call(request) {
		return new Promise((resolve, reject) => { request.done(resolve).fail(reject); });
	}

	// Handlers set before start() (the client only subscribes to hubs that have one).
	// The server's ReceiveMessage, UserJoined and UserLeft match them ignoring case.
	chat.client.receiveMessage = (user, message) => addEntry("message", [["strong", user], ["span", message]]);
	chat.client.userJoined = (user, room) => addEntry("notice", [["span", user + " joined #" + room]]);
	chat.client.userLeft = (user, room) => addEntry("notice", [["span", user + " left #" + room]]);

	hub.logging = false;
	hub.stateChanged((change) => {
		if (change.newState === states.connecting) {
			showState("connecting", "Connecting…");
		}
		else if (change.newState === states.reconnecting) {
			showState("reconnecting", "Reconnecting…");
		}
		else if (change.newState === states.connected) {
			showState("connected", "Connected");
		}
	});
	// a reconnect keeps the connection and its rooms (groups live on the server); a connection that ended
	// is started anew after a pause, and rejoins the rooms
	hub.disconnected(() => {
		if (stopping) {
			return;
		}
		showState("disconnected", "Disconnected, retrying…");
		clearTimeout(retry);
		retry = setTimeout(() => start().catch(report), 5000);
	});

	function start() {
		hub.qs = { name: userName() };
		return call(hub.start())
			.then(() => Promise.all([...joinedRooms].map((room) => call(chat.server.joinRoom(room)))));
	}

	function restart() {
		clearTimeout(retry);
		stopping = true;
		hub.stop();
		stopping = false;
		return start();
	}

	function currentRoom() {
		const room = roomInput.value.trim();
		if (!room) {
			roomInput.focus();
		}
		return room;
	}

	byId("room-form").addEventListener("submit", (event) => {
		event.preventDefault();
		const room = currentRoom();
		if (room) {
			call(chat.server.joinRoom(room)).then(() => { joinedRooms.add(room); showRooms(); }, report);
		}
	});

	byId("leave").addEventListener("click", () => {
		const room = currentRoom();
		if (room) {
			call(chat.server.leaveRoom(room)).then(() => { joinedRooms.delete(room); showRooms(); }, report);
		}
	});

	byId("message-form").addEventListener("submit", (event) => {
		event.preventDefault();
		const message = messageInput.value;
		if (message.trim()) {
			call(chat.server.sendMessage(userName(), message)).then(() => { messageInput.value = ""; }, report);
		}
	});

	byId("send-room").addEventListener("click", () => {
		const room = currentRoom();
		const message = messageInput.value;
		if (room && message.trim()) {
			call(chat.server.sendToRoom(room, userName(), message)).then(() => { messageInput.value = ""; }, report);
		}
	});

	nameInput.addEventListener("change", () => {
		localStorage.setItem("chat.name", userName());
		restart().catch(report);
	});

	start().catch(report);
})();
