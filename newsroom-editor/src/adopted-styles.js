// CodeMirror draws its own base styles through style-mod, which puts a <style> element in a
// document's head: the site's Content-Security-Policy (style-src 'self', no inline style)
// refuses it, and the editor would lose its layout. Here the same rules go into one
// constructed stylesheet adopted by the document, which the policy allows, in the order
// style-mod keeps them. The build aliases "style-mod" to this file.
import { StyleModule } from "../node_modules/style-mod/src/style-mod.js";

const original = StyleModule.mount;
const sheets = new Map();

StyleModule.mount = function (root, modules, options) {
  const win = root.defaultView || (root.ownerDocument && root.ownerDocument.defaultView);
  if (!root.head || !root.adoptedStyleSheets || !win || !win.CSSStyleSheet) {
    return original.call(StyleModule, root, modules, options);
  }
  let kept = sheets.get(root);
  if (!kept) {
    kept = { sheet: new win.CSSStyleSheet(), modules: [] };
    sheets.set(root, kept);
    root.adoptedStyleSheets = [kept.sheet, ...root.adoptedStyleSheets];
  }
  const given = [].concat(modules || []).flat(Infinity).filter(Boolean);
  let at = 0;
  let changed = false;
  for (const module of given) {
    const found = kept.modules.indexOf(module);
    if (found < 0) {
      kept.modules.splice(at, 0, module);
      at += 1;
      changed = true;
    } else {
      at = Math.max(at, found + 1);
    }
  }
  if (changed) {
    kept.sheet.replaceSync(kept.modules.map((module) => module.getRules()).join("\n"));
  }
  return undefined;
};

export { StyleModule };
