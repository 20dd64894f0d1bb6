// Reads tiles with the npm packages MapLibre apps use and prints them as canonical JSON, for the
// tile tests to compare with what diachi wrote:
//   node read_tiles.mjs pmtiles ARCHIVE.pmtiles Z/X/Y...   tiles of a PMTiles archive (pmtiles)
//   node read_tiles.mjs mvt FILE.mvt...                     raw MVT files
// Tiles are decoded with @mapbox/vector-tile. Output: {"header": ..., "tiles": {"z/x/y": tile}}.
import { readFileSync, openSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import Pbf from "pbf";
import { VectorTile } from "@mapbox/vector-tile";
import { PMTiles } from "pmtiles";

const types = ["Unknown", "Point", "LineString", "Polygon"];

function decode(bytes) {
  const tile = new VectorTile(new Pbf(bytes));
  const layers = Object.keys(tile.layers).sort().map((name) => {
    const layer = tile.layers[name];
    const features = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const geometry = f.loadGeometry().map((ring) => {
        const points = ring.map((p) => [p.x, p.y]);
        if (f.type === 3) points.pop(); // vector-tile repeats a ring's first point
        return points;
      });
      features.push({ id: f.id ?? null, type: types[f.type], properties: f.properties, geometry });
    }
    return { name, version: layer.version, extent: layer.extent, features };
  });
  return { layers };
}

// A pmtiles Source over a local file.
class FileSource {
  constructor(path) { this.path = path; this.fd = openSync(path, "r"); }
  getKey() { return this.path; }
  async getBytes(offset, length) {
    const buffer = Buffer.alloc(length);
    const n = readSync(this.fd, buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + n) };
  }
}

const [mode, ...args] = process.argv.slice(2);
const out = { tiles: {} };
if (mode === "pmtiles") {
  const archive = new PMTiles(new FileSource(args[0]));
  const h = await archive.getHeader();
  out.header = { minZoom: h.minZoom, maxZoom: h.maxZoom, tileType: h.tileType,
                 tileCompression: h.tileCompression, clustered: h.clustered,
                 numAddressedTiles: h.numAddressedTiles, rootDirectoryLength: h.rootDirectoryLength,
                 rootDirectoryOffset: h.rootDirectoryOffset };
  out.metadata = await archive.getMetadata();
  for (const zxy of args.slice(1)) {
    const [z, x, y] = zxy.split("/").map(Number);
    const tile = await archive.getZxy(z, x, y);
    out.tiles[zxy] = tile ? decode(new Uint8Array(tile.data)) : null;
  }
} else if (mode === "mvt") {
  for (const path of args) {
    let bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    out.tiles[path] = decode(new Uint8Array(bytes));
  }
} else {
  console.error("usage: read_tiles.mjs pmtiles ARCHIVE Z/X/Y... | mvt FILE...");
  process.exit(2);
}
process.stdout.write(JSON.stringify(out));
