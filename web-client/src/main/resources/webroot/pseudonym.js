// The protocol's pseudonym rules, checked as the member types (the server checks them again):
// 3 to 24 of A-Z a-z 0-9 - _, and nothing that looks like a phone number or an e-mail address
// (the same patterns as the server's Pseudonyms.java). Returns a catalogue key.
const ALLOWED = /^[A-Za-z0-9_-]*$/;
const PHONE_LIKE = /^(?:[0-9][0-9_-]{7,}|.*(?<![0-9])(\+31|0031|0)[-_]?[1-9]([-_]?[0-9]){8}(?![0-9]).*)$/;
const EMAIL_LIKE = /^(?:.*[-_](gmail|hotmail|outlook|live|icloud|yahoo|ziggo|kpnmail|home)[-_](com|nl|be).*|.*[-_]at[-_].+[-_](com|nl|be))$/i;

export function pseudonymProblem(value) {
  if (!ALLOWED.test(value)) return 'pseudonym.chars';
  if (value.length < 3) return 'pseudonym.short';
  if (value.length > 24) return 'pseudonym.long';
  if (PHONE_LIKE.test(value)) return 'pseudonym.phone';
  if (EMAIL_LIKE.test(value)) return 'pseudonym.email';
  return null;
}
