/**
 * The site's icon, inlined in every page's head: without one, each page view asks for
 * /favicon.ico, which no route serves, and the browser's console shows a 404 on every page.
 */
const SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='6' fill='#0b3d6e'/><path d='M8 17l5 5 11-12' fill='none' stroke='#fff' stroke-width='4' stroke-linecap='round' stroke-linejoin='round'/></svg>";

export const FAVICON_HREF = `data:image/svg+xml,${encodeURIComponent(SVG)}`;
