"""Copy the front-end packages that npm installed into wangge/static/vendor (not committed).

Government intranets have no internet: every script and style is served by Wangge itself.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts.min.js",
    "bulma/css/bulma.min.css": "bulma.min.css",
    # QR scanning where the browser has no BarcodeDetector; the wasm is served by Wangge too
    # (checkpoints/scan.js points the polyfill at it instead of its default CDN).
    "barcode-detector/dist/iife/ponyfill.js": "barcode-detector.js",
    "zxing-wasm/dist/reader/zxing_reader.wasm": "zxing_reader.wasm",
    # The map on which a venue's place is picked; its stylesheet finds the marker images beside it.
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.js.map": "leaflet/leaflet.js.map",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
    "leaflet/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
    "leaflet/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
    "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
    "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
}


def main() -> int:
    target = ROOT / "wangge" / "static" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for source, name in FILES.items():
        path = ROOT / "node_modules" / source
        if not path.exists():
            print(f"missing {path}: run npm ci", file=sys.stderr)
            return 1
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
