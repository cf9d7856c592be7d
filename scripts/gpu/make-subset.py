#!/usr/bin/env python3
"""Writes the first N training and M test images of Fashion-MNIST, with their labels, as the four
gzipped IDX files the harness reads (same names as the full set), so a small copy can travel to a
machine that has no data set and no network. The harness finds it through TRICKBENCH_DATA or
--data-dir. The ci and smoke presets train on seeded subsets of 2,000 training images (and search on
halves of 600), so N must be at least 2,000; the default 10,000 also leaves the perf steps real images.
The final evaluation then uses the M test images instead of all 10,000: numbers from such a copy are
for timing and plumbing, not for comparison with full-data results.

Python 3 standard library only. Output is byte-for-byte reproducible (gzip timestamps are zero).
"""
import argparse
import gzip
import os
import struct
import sys

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
# The smallest training split the ci and smoke presets run on (their train-subset).
MIN_TRAIN = 2000


def read_idx(path, magic, dims):
    """Returns (shape, payload bytes) of a gzipped IDX file, checking its magic number."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    found, = struct.unpack(">I", data[:4])
    if found != magic:
        raise SystemExit(f"make-subset: {path}: magic 0x{found:08x}, expected 0x{magic:08x}")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def write_idx(path, magic, shape, payload):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(shape), *shape)
    # Written aside and renamed, so a harness reading the folder never sees half a file.
    with open(path + ".tmp", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + payload)
    os.replace(path + ".tmp", path)


def subset(src, out, split, count):
    images_name, labels_name = FILES[split]
    shape, pixels = read_idx(os.path.join(src, images_name), IMAGES_MAGIC, 3)
    lshape, labels = read_idx(os.path.join(src, labels_name), LABELS_MAGIC, 1)
    n, rows, cols = shape
    if lshape[0] != n:
        raise SystemExit(f"make-subset: {split}: {n} images but {lshape[0]} labels in {src}")
    if count > n:
        raise SystemExit(f"make-subset: {split}: asked for {count} images, {src} has {n}")
    per = rows * cols
    write_idx(os.path.join(out, images_name), IMAGES_MAGIC, (count, rows, cols), pixels[:count * per])
    write_idx(os.path.join(out, labels_name), LABELS_MAGIC, (count,), labels[:count])
    return count, rows, cols


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--src", default=os.environ.get("TRICKBENCH_FMNIST_SRC", "/usr/share/datasets/fashion-mnist"),
                   help="folder holding the full Fashion-MNIST files (default: %(default)s)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".gpu", "data"),
                   help="output folder (default: .gpu/data in the repository)")
    p.add_argument("--train", type=int, default=10000, help="training images, from the first (default: %(default)s)")
    p.add_argument("--test", type=int, default=2000, help="test images, from the first (default: %(default)s)")
    args = p.parse_args(argv)
    if args.train < MIN_TRAIN:
        p.error(f"--train must be at least {MIN_TRAIN}: the ci and smoke presets train on {MIN_TRAIN} images")
    if args.test < 1:
        p.error("--test must be at least 1")
    missing = [name for pair in FILES.values() for name in pair if not os.path.isfile(os.path.join(args.src, name))]
    if missing:
        print(f"make-subset: {args.src} lacks {', '.join(missing)}; fix: apt-get install dataset-fashion-mnist"
              " or pass --src DIR", file=sys.stderr)
        return 2
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    for split, count in (("train", args.train), ("test", args.test)):
        n, rows, cols = subset(args.src, out, split, count)
        print(f"make-subset: {split}: {n} images of {rows}x{cols}")
    size = sum(os.path.getsize(os.path.join(out, name)) for pair in FILES.values() for name in pair)
    print(f"make-subset: wrote {out} ({size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
