import { loadConfig, serverConfigShape } from "@clawden/kit/server";
import { z } from "zod";

export const configSchema = z.object({
  ...serverConfigShape(8083),
});

export type Config = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, env);
}
