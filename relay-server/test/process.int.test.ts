// relay-server as an operator runs it: the process behaviour every server shares (see kit's server-frame.ts).
import path from "node:path";
import { describeServerProcess } from "@clawden/kit/testing";

describeServerProcess("relay-server", path.resolve(import.meta.dirname, "../src/main.ts"));
