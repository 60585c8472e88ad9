// Shared by the scale-out tests: nodes behind a round-robin proxy (SIGNALR_BASE_URL), the nodes' own
// addresses (SIGNALR_NODE_URLS), an HTTP client that opens a new TCP connection for every request.
import http from "node:http";
import { AbortError, HttpClient, HttpError, HttpResponse, TimeoutError } from "@microsoft/signalr";

export const baseUrl = process.env.SIGNALR_BASE_URL.replace(/\/$/, "");
export const nodeUrls = process.env.SIGNALR_NODE_URLS.split(",");

export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The client's HTTP requests (negotiate, poll, send, DELETE) each on a new TCP connection (no agent,
 * so `Connection: close`): a keep-alive pool would pin one client's requests to one node.
 */
export class NewConnectionPerRequestHttpClient extends HttpClient {
	send(request) {
		return new Promise((resolve, reject) => {
			if (request.abortSignal && request.abortSignal.aborted) {
				reject(new AbortError());
				return;
			}
			const content = request.content === "" ? undefined : request.content;
			const headers = { "X-Requested-With": "XMLHttpRequest", ...request.headers };
			if (content !== undefined) {
				headers["Content-Type"] = typeof content === "string" ? "text/plain;charset=UTF-8"
					: "application/octet-stream";
			}
			let timer;
			const finish = () => {
				clearTimeout(timer);
				if (request.abortSignal) {
					request.abortSignal.onabort = null;
				}
			};
			const outgoing = http.request(request.url, { method: request.method, headers, agent: false }, (response) => {
				const chunks = [];
				response.on("data", (chunk) => chunks.push(chunk));
				response.on("error", (error) => {
					finish();
					reject(error);
				});
				response.on("end", () => {
					finish();
					const body = Buffer.concat(chunks);
					if (response.statusCode < 200 || response.statusCode > 299) {
						reject(new HttpError(body.toString("utf8") || response.statusMessage, response.statusCode));
						return;
					}
					const payload = request.responseType === "arraybuffer"
						? body.buffer.slice(body.byteOffset, body.byteOffset + body.length) : body.toString("utf8");
					resolve(new HttpResponse(response.statusCode, response.statusMessage, payload));
				});
			});
			outgoing.on("error", (error) => {
				finish();
				reject(error);
			});
			if (request.timeout) {
				timer = setTimeout(() => {
					outgoing.destroy();
					reject(new TimeoutError());
				}, request.timeout);
			}
			if (request.abortSignal) {
				request.abortSignal.onabort = () => {
					outgoing.destroy();
					reject(new AbortError());
				};
			}
			if (content !== undefined) {
				outgoing.write(typeof content === "string" ? content : Buffer.from(content));
			}
			outgoing.end();
		});
	}
}

/** What a client received, with a way to wait for one message. */
export class Inbox {
	constructor(connection) {
		this.messages = [];
		this.waiters = [];
		connection.on("Receive", (message) => {
			this.messages.push(message);
			this.waiters = this.waiters.filter(({ message: awaited, resolve }) => {
				if (awaited === message) {
					resolve();
					return false;
				}
				return true;
			});
		});
	}

	until(message) {
		if (this.messages.includes(message)) {
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiters.push({ message, resolve }));
	}
}
