// group-vault's configuration: for now only the variables every server reads.
import { loadConfig, serverConfigShape } from "@clawden/kit/server";
import { z } from "zod";

export const configSchema = z.object({
  ...serverConfigShape(8082),
});

export type Config = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, env);
}
