/**
 * The message of a thrown value for a span status (none if it has no string form). Never throws: String() of
 * a null-prototype object (`throw Object.create(null)`) or a throwing getter
 * would, and the host must get the value it threw, not our TypeError.
 */
export function errorMessage(error: unknown): string | undefined {
  try {
    return String((error as { message?: unknown })?.message ?? error);
  } catch {
    // no message then
  }
}
