// webpack 5 production build of the page: main.js and the package it imports go to dist/,
// with the package's WebAssembly module emitted as an asset (webpack handles
// `new URL('...wasm', import.meta.url)` itself); html-webpack-plugin writes index.html.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';

// Not import.meta.dirname: Debian 12's Node.js 18 lacks it.
const here = dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  context: here,
  entry: './main.js',
  output: { path: `${here}/dist`, clean: true },
  plugins: [new HtmlWebpackPlugin({ template: './index.html' })],
  // The WebAssembly module is larger than webpack's default hint threshold.
  performance: { hints: false },
};
