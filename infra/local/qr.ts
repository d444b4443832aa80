import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listPlaces } from '../../domain/places.ts';
import { chromiumPath, printPdf } from '../../api/pages/qr-pdf.ts';
import { qrSheets, sheetsHtml } from '../../api/pages/qr-sheet.ts';
import { parseEnv } from '../config.ts';
import { projectRoot } from './paths.ts';
import { runningDirectory } from './running-directory.ts';

/**
 * `npm run qr -- <buildingId>`: the building's printable code sheets, as one
 * SVG per A4 page and, where Chromium is installed, one PDF of them all.
 * Reads the directory the running `npm start` holds (an admin's import included), else the
 * directory file (RECTIFY_DIRECTORY_FILE, else the demo campus).
 */
const say = (line: string) => process.stderr.write(`[qr] ${line}\n`);
const buildingId = process.argv[2];
if (!buildingId || buildingId.startsWith('-')) {
  say('usage: npm run qr -- <buildingId> [outDir]   (e.g. npm run qr -- bldg-a)');
  process.exit(2);
}
const env = parseEnv(process.env);
const { dir, from } = await runningDirectory(env);
const building = dir.buildings.find((b) => b.id === buildingId);
if (!building) {
  say(`no building '${buildingId}' in ${from}; known: ${dir.buildings.map((b) => b.id).join(', ')}`);
  process.exit(1);
}
const baseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
const places = listPlaces(dir, buildingId);
const title = `${building.name.zh} 报修二维码 / ${building.name.en} report codes`;
const pages = await qrSheets(places, baseUrl, title);
const out = path.resolve(process.argv[3] ?? path.join(projectRoot, '.data', 'qr', buildingId));
mkdirSync(out, { recursive: true });
pages.forEach((svg, i) => writeFileSync(path.join(out, `sheet-${i + 1}.svg`), svg));
say(`${places.length} codes on ${pages.length} A4 sheet(s): ${out}/sheet-*.svg`);
const sheetsFile = path.join(out, 'sheets.html');
const html = sheetsHtml(pages, title);
writeFileSync(sheetsFile, html);
if (chromiumPath()) {
  const pdf = path.join(out, `${buildingId}-codes.pdf`);
  const bytes = await printPdf(html);
  if (bytes) writeFileSync(pdf, bytes);
  say(bytes ? `PDF: ${pdf}` : `Chromium could not print the PDF; print ${sheetsFile} from a browser instead`);
} else {
  say(`no Chromium here for the PDF; open ${sheetsFile} in a browser and print it (A4), or install chromium`);
}
