// Worker entry: TypeScript and the "@/" paths through tsx, then the real worker body.
import { register } from "tsx/esm/api";

register();
await import("./second-factor-worker.ts");
