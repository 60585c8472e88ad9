// Spawned by churn.mjs: opens one connection per transport and protocol to SOAK_VICTIM_NODE, joins a
// group on each, prints "ready <connected>" and waits to be killed.
import { COMBINATIONS, connect } from "./combinations.mjs";

const url = process.env.SOAK_VICTIM_NODE.replace(/\/$/, "");
const results = await Promise.allSettled(COMBINATIONS.map(async (combination) => {
	const connection = connect(url, combination);
	await connection.start();
	await connection.invoke("JoinGroup", "victims");
}));
process.stdout.write(`ready ${results.filter((r) => r.status === "fulfilled").length}\n`);
setInterval(() => {}, 60000);
