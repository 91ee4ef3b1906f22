/** Writes docs/generated/api-map.md (`npm run docs:api` runs it before TypeDoc, which includes the page). */
import {promises as fs} from 'fs';
import * as path from 'path';
import {API_MAP_FILE, renderApiMap} from './api-map';

const file = path.join(__dirname, '..', API_MAP_FILE);
void fs
  .mkdir(path.dirname(file), {recursive: true})
  .then(() => fs.writeFile(file, renderApiMap()))
  .then(() => console.log(`wrote ${API_MAP_FILE}`));
