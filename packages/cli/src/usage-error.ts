/** A command used the wrong way (an option that does not go with the action, a value out of range): `fusion: …` and exit 2. */
export class UsageError extends Error {}
