// npm run admin -- <command>: support tasks that need no web admin panel.
import readline from "node:readline/promises";
import { resetTwoFactor, showUser, type Io } from "./commands";

const USAGE = `Usage:
  npm run admin -- user <email>              show two-factor status, backup codes left and recent events
  npm run admin -- reset-2fa <email> [--yes] turn off two-factor for someone locked out (asks first)`;

const io: Io = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  async confirm(question) {
    if (!process.stdin.isTTY) {
      console.error("No terminal to ask for confirmation: pass --yes to confirm.");
      return false;
    }
    const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(question);
    prompt.close();
    return answer.trim().toLowerCase() === "yes";
  },
};

const [command, email, ...flags] = process.argv.slice(2);
let exitCode: number;
if (command === "user" && email) exitCode = showUser(email, io);
else if (command === "reset-2fa" && email) exitCode = await resetTwoFactor(email, flags.includes("--yes"), io);
else {
  console.error(USAGE);
  exitCode = 2;
}
process.exit(exitCode);
