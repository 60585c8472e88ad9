// The chat page: plain browser JavaScript on the official @microsoft/signalr client.
"use strict";

(function () {
	const $ = (id) => document.getElementById(id);
	const nameInput = $("name");
	const roomInput = $("room");
	const messageInput = $("message");
	const stateLabel = $("state");
	const messageList = $("messages");
	const roomList = $("rooms");
	const actionButtons = [$("join"), $("leave"), $("send"), $("send-room")];

	const joinedRooms = new Set();
	let connection = null;

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

	function rejoinRooms() {
		// a new connection belongs to no group yet
		return Promise.all([...joinedRooms].map((room) => connection.invoke("JoinRoom", room)));
	}

	function buildConnection() {
		const built = new signalR.HubConnectionBuilder()
			.withUrl("/chat?name=" + encodeURIComponent(userName()))
			.withAutomaticReconnect()
			.configureLogging(signalR.LogLevel.Warning)
			.build();
		built.on("ReceiveMessage", (user, message) => addEntry("message", [["strong", user], ["span", message]]));
		built.on("UserJoined", (user, room) => addEntry("notice", [["span", user + " joined #" + room]]));
		built.on("UserLeft", (user, room) => addEntry("notice", [["span", user + " left #" + room]]));
		built.onreconnecting(() => showState("reconnecting", "Reconnecting…"));
		built.onreconnected(() => {
			showState("connected", "Connected");
			rejoinRooms().catch(report);
		});
		built.onclose(() => {
			if (built === connection) {
				showState("disconnected", "Disconnected");
			}
		});
		return built;
	}

	async function connect() {
		showState("connecting", "Connecting…");
		if (connection) {
			const old = connection;
			connection = null;
			await old.stop();
		}
		const current = buildConnection();
		connection = current;
		// automatic reconnect only covers connections that were once up: retry the first start by hand
		while (connection === current) {
			try {
				await current.start();
				showState("connected", "Connected");
				await rejoinRooms();
				return;
			}
			catch (error) {
				if (connection !== current) {
					return;
				}
				showState("disconnected", "Disconnected, retrying…");
				await new Promise((resolve) => setTimeout(resolve, 5000));
			}
		}
	}

	function currentRoom() {
		const room = roomInput.value.trim();
		if (!room) {
			roomInput.focus();
		}
		return room;
	}

	$("room-form").addEventListener("submit", (event) => {
		event.preventDefault();
		const room = currentRoom();
		if (room) {
			connection.invoke("JoinRoom", room).then(() => { joinedRooms.add(room); showRooms(); }, report);
		}
	});

	$("leave").addEventListener("click", () => {
		const room = currentRoom();
		if (room) {
			connection.invoke("LeaveRoom", room).then(() => { joinedRooms.delete(room); showRooms(); }, report);
		}
	});

	$("message-form").addEventListener("submit", (event) => {
		event.preventDefault();
		const message = messageInput.value;
		if (message.trim()) {
			connection.invoke("SendMessage", userName(), message).then(() => { messageInput.value = ""; }, report);
		}
	});

	$("send-room").addEventListener("click", () => {
		const room = currentRoom();
		const message = messageInput.value;
		if (room && message.trim()) {
			connection.invoke("SendToRoom", room, userName(), message).then(() => { messageInput.value = ""; }, report);
		}
	});

	nameInput.addEventListener("change", () => {
		localStorage.setItem("chat.name", userName());
		connect().catch(report);
	});

	connect().catch(report);
})();
