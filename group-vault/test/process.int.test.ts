// group-vault as an operator runs it: the process behaviour every server shares (see kit's server-frame.ts).
import path from "node:path";
import { describeServerProcess } from "@clawden/kit/testing";

describeServerProcess("group-vault", path.resolve(import.meta.dirname, "../src/main.ts"));
