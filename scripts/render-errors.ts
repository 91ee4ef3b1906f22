/** Writes docs/errors.md from the error table (`npm run docs:errors`); a test checks it is current. */
import {promises as fs} from 'fs';
import * as path from 'path';
import {renderErrorsDoc} from './errors/render';

void fs
  .writeFile(path.join(__dirname, '..', 'docs', 'errors.md'), renderErrorsDoc())
  .then(() => console.log('wrote docs/errors.md'));
