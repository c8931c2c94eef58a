/** document.createElement with a class, data attributes and text in one call. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { readonly className?: string; readonly data?: Readonly<Record<string, string>>; readonly text?: string } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className !== undefined) node.className = options.className;
  for (const [key, value] of Object.entries(options.data ?? {})) node.dataset[key] = value;
  if (options.text !== undefined) node.textContent = options.text;
  node.append(...children);
  return node;
}

/** Writes only when the text differs: most cells of a delta stay the same, and a write costs a layout. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function required<T extends Element>(selector: string, parent: ParentNode = document): T {
  const found = parent.querySelector<T>(selector);
  if (found === null) throw new Error(`the page has no ${selector}`);
  return found;
}
