/**
 * Characters that make text read as something it is not: controls, invisible format characters (zero-width spaces
 * and joiners, bidirectional overrides and isolates, the byte order mark), line and paragraph separators, private-use
 * and unassigned code points, lone surrogates, and whitespace other than the plain space. The silo refuses them in
 * new user and agent names (`invalid_name`); the same set as Delegation.Grants.NameCharacters.
 */
const odd = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]|(?! )\s/gu;

/** `text` with every odd character shown as `\u{XXXX}`, so that a stored name reads as what it holds. */
export function visible(text: string): string {
    return text.replace(odd, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`);
}
