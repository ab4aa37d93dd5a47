// Which image new containers are made from: the one configured (AGENT_IMAGE), or the one the image
// recipe builds, built in the background at start when missing (it can take minutes the first time).
// Until it is known, readiness says so and starts fail with a clear reason.
import type { Logger } from "@clawden/kit/server";

export class ImageSource {
  private tag: string | undefined;
  private problem = "the OpenClaw image is being prepared";

  constructor(
    private readonly resolveImage: () => Promise<string>,
    private readonly logger: Logger,
  ) {}

  /** Resolves (building if needed); safe to call again after a failure. */
  async resolve(): Promise<string> {
    try {
      this.tag = await this.resolveImage();
      this.logger.info({ image: this.tag }, "image ready");
      return this.tag;
    } catch (error) {
      this.problem = `the OpenClaw image is not available: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.error({ err: error }, "the OpenClaw image is not available");
      throw error;
    }
  }

  /** The image to use now; throws while it is not known. */
  current(): string {
    if (!this.tag) throw new Error(this.problem);
    return this.tag;
  }

  /** For readiness. */
  async check(): Promise<void> {
    this.current();
  }
}
