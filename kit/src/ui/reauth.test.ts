// withReauth: an action refused for want of a fresh sign-in asks for one, then runs again.
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api-client.js";
import { errorMessage, ReauthCancelledError, ReauthRequestEvent, withReauth } from "./reauth.js";

const reauthRequired = () => new ApiError(403, "reauth_required", "Confirm it is you first.");

/** A page that answers re-authentication requests with `answers`, one per request. */
function page(...answers: boolean[]) {
  const target = new EventTarget();
  const requests: boolean[] = [];
  target.addEventListener(ReauthRequestEvent.type, (event) => {
    const request = event as ReauthRequestEvent;
    requests.push(request.again);
    request.respond(Promise.resolve(answers.shift() ?? false));
  });
  return { target, requests };
}

describe("withReauth", () => {
  it("runs the action once when it needs nothing more", async () => {
    const { target, requests } = page();
    const action = vi.fn(async () => "done");
    expect(await withReauth(target, action)).toBe("done");
    expect(action).toHaveBeenCalledTimes(1);
    expect(requests).toEqual([]);
  });

  it("asks for a fresh sign-in and runs the action again", async () => {
    const { target, requests } = page(true);
    const action = vi.fn().mockRejectedValueOnce(reauthRequired()).mockResolvedValueOnce("done");
    expect(await withReauth(target, action)).toBe("done");
    expect(action).toHaveBeenCalledTimes(2);
    expect(requests).toEqual([false]);
  });

  it("asks again, saying so, when the action is still refused", async () => {
    const { target, requests } = page(true, true);
    const action = vi
      .fn()
      .mockRejectedValueOnce(reauthRequired())
      .mockRejectedValueOnce(reauthRequired())
      .mockResolvedValueOnce("done");
    expect(await withReauth(target, action)).toBe("done");
    expect(requests).toEqual([false, true]);
  });

  it("gives up quietly when the person cancels, or nobody can ask", async () => {
    const { target } = page(false);
    const cancelled = await withReauth(target, () => Promise.reject(reauthRequired())).catch(
      (e: unknown) => e,
    );
    expect(cancelled).toBeInstanceOf(ReauthCancelledError);
    expect(errorMessage(cancelled, "fallback")).toBe("");

    const alone = await withReauth(new EventTarget(), () => Promise.reject(reauthRequired())).catch(
      (e: unknown) => e,
    );
    expect(alone).toBeInstanceOf(ReauthCancelledError);
  });

  it("passes other errors on, with their message for people", async () => {
    const { target, requests } = page(true);
    const error = new ApiError(409, "mfa_required", "Two-step verification is required.");
    await expect(withReauth(target, () => Promise.reject(error))).rejects.toBe(error);
    expect(requests).toEqual([]);
    expect(errorMessage(error, "fallback")).toBe("Two-step verification is required.");
    expect(errorMessage(new Error("boom"), "fallback")).toBe("fallback");
  });

  it("stops after a few rounds", async () => {
    const { target, requests } = page(true, true, true, true, true);
    await expect(withReauth(target, () => Promise.reject(reauthRequired()))).rejects.toMatchObject({
      code: "reauth_required",
    });
    expect(requests).toHaveLength(3);
  });
});
