// The interface words in the page's language. The editor page renders them, translated, in
// one JSON element (#newsroom-words, newsroom/script_words.py) keyed by the English text; a
// word missing there is shown in English. %(name)s marks are filled from `values`.
let table = null;

export function t(english, values) {
  if (table === null) {
    const element = document.getElementById("newsroom-words");
    try { table = element ? JSON.parse(element.textContent) : {}; } catch (e) { table = {}; }
  }
  let text = table[english] || english;
  for (const [name, value] of Object.entries(values || {})) {
    text = text.split("%(" + name + ")s").join(String(value));
  }
  return text;
}
