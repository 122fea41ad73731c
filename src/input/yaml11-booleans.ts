// Plain words YAML 1.2 (this project's parser) reads as strings but YAML 1.1 tools (PyYAML, many
// linters, older editors and CI templaters) read as booleans: `on:` becomes the key true and the
// country code `NO` becomes false. A warning asks to quote them so every tool reads the same text.

const YAML11_BOOLEAN_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

export function readsAsYaml11Boolean(plainText: string): boolean {
  return YAML11_BOOLEAN_WORDS.has(plainText);
}

export function yaml11BooleanMessage(plainText: string): string {
  const meaning = /^(y|yes|on)$/i.test(plainText) ? 'true' : 'false';
  return `unquoted ${plainText} is the boolean ${meaning} to YAML 1.1 tools (PyYAML, many linters and editors): quote it as "${plainText}"`;
}
