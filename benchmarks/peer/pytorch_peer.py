#!/usr/bin/python3
"""The PyTorch peer of `bench perf --peer pytorch`: a plain PyTorch eager training loop of a NAS-Bench-201
network, as a user would write it, timed step by step.

    /usr/bin/python3 benchmarks/peer/pytorch_peer.py --genotype G --channels C --cells N \
        --resolution PX --in-channels K --classes L --batch-size B --threads T --warmup W --steps S \
        [--padding P] [--no-flip] [--no-onednn] [--seed X] [--device cpu|cuda]
    /usr/bin/python3 benchmarks/peer/pytorch_peer.py --count-params --genotype G --channels C --cells N \
        [--in-channels K] [--classes L]
    /usr/bin/python3 benchmarks/peer/pytorch_peer.py --probe

Needs Debian's python3-torch (`apt-get install -y python3-torch`); without torch it exits 3.

Each step does what the harness's step does: gather the batch from device-resident images (float32 in
[0, 1], synthetic: the values do not change the work), random crop from a zero-padded image and
horizontal flip on tensors (one gather), per-channel normalisation, one-hot targets, forward,
soft-target cross-entropy, backward, Nesterov SGD (lr 0.1 on the cosine schedule over the steps,
momentum 0.9, weight decay 5e-4 on every parameter, as NAS-Bench-201's optimiser), and loss and
accuracy accumulated on the device without a host synchronisation. `--warmup` steps run untimed, then
`--steps` timed ones; a step's time runs from the end of the step before it to its own end (on a GPU
after waiting for the device).

--no-onednn sets torch.backends.mkldnn.enabled = False, so convolutions run on PyTorch's native
kernels, as the harness does when it chooses libtorch's native kernels.

Prints one JSON object on stdout: "step_ms" (the timed steps, in order), the setup, the torch build,
"final_loss" (mean training loss over every step, a sanity check) and "max_rss_kib" (the process's
peak resident memory).
"""

import argparse
import json
import math
import os
import resource
import sys
import time

MISSING_TORCH = 3


def parse_args(argv):
    p = argparse.ArgumentParser(description="Times a plain PyTorch eager training loop of a NAS-Bench-201 network.")
    p.add_argument("--probe", action="store_true", help="print the torch build as JSON and exit")
    p.add_argument("--count-params", action="store_true", help="print the network's trainable parameters and exit")
    p.add_argument("--genotype", default="|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
                   "+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|")
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--cells", type=int, default=5)
    p.add_argument("--resolution", type=int, default=32)
    p.add_argument("--in-channels", type=int, default=3)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--threads", type=int, default=0, help="intra-op threads; 0 = PyTorch's default")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--padding", type=int, default=4, help="random-crop padding in pixels; 0 = no crop")
    p.add_argument("--no-flip", action="store_true", help="no random horizontal flip")
    p.add_argument("--no-onednn", action="store_true", help="torch.backends.mkldnn.enabled = False")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = p.parse_args(argv)
    for name in ("channels", "cells", "resolution", "in_channels", "classes", "warmup", "steps"):
        if getattr(args, name) < 1:
            p.error("--%s must be at least 1" % name.replace("_", "-"))
    if args.batch_size < 2:
        p.error("--batch-size must be at least 2 (BatchNorm in training)")
    return args


def build_info(torch):
    return {
        "torch_version": torch.__version__,
        "onednn_available": torch.backends.mkldnn.is_available(),
        "cpu_capability": cpu_capability(torch),
        "default_threads": torch.get_num_threads(),
    }


def cpu_capability(torch):
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            return line.split(":", 1)[1].strip()
    return None


def crop_and_flip(torch, images, padding, flip, generator):
    """Random crop of the zero-padded images and horizontal flip, as one gather."""
    b, c, h, w = images.shape
    device = images.device
    if padding > 0:
        images = torch.nn.functional.pad(images, (padding, padding, padding, padding))
    oy = torch.randint(0, 2 * padding + 1, (b, 1, 1, 1), generator=generator, device=device)
    ox = torch.randint(0, 2 * padding + 1, (b, 1, 1, 1), generator=generator, device=device)
    rows = oy + torch.arange(h, device=device).view(1, 1, h, 1)
    cols = torch.arange(w, device=device).view(1, 1, 1, w)
    if flip:
        flipped = torch.randint(0, 2, (b, 1, 1, 1), generator=generator, device=device).bool()
        cols = torch.where(flipped, w - 1 - cols, cols)
    cols = cols + ox
    batch = torch.arange(b, device=device).view(b, 1, 1, 1)
    channel = torch.arange(c, device=device).view(1, c, 1, 1)
    return images[batch, channel, rows, cols]


def learning_rate(step, total, lr=0.1, min_lr=0.0):
    """The protocol's cosine schedule: before step k of K, lr = min + (lr − min)·(1 + cos(π·k/K))/2."""
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * min(1.0, step / total)))


def train(torch, args):
    import torch.nn.functional as F
    from nb201_torch import TinyNetwork, count_parameters

    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    generator = torch.Generator(device=device)
    generator.manual_seed(args.seed)
    total = args.warmup + args.steps
    n = total * args.batch_size
    side = args.resolution
    images = torch.rand(n, args.in_channels, side, side, generator=generator, device=device)
    labels = torch.randint(0, args.classes, (n,), generator=generator, device=device)
    order = torch.randperm(n, generator=generator, device=device)
    mean = torch.full((1, args.in_channels, 1, 1), 0.3, device=device)
    std = torch.full((1, args.in_channels, 1, 1), 0.35, device=device)

    model = TinyNetwork(args.channels, args.cells, args.genotype, args.classes, args.in_channels).to(device)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), dtype=torch.int64, device=device)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    times = []
    sync()
    last = time.perf_counter_ns()
    for step in range(total):
        index = order[step * args.batch_size:(step + 1) * args.batch_size]
        x = crop_and_flip(torch, images[index], args.padding, not args.no_flip, generator)
        x = (x - mean) / std
        y = labels[index]
        targets = F.one_hot(y, args.classes).to(x.dtype)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, total)
        optimizer.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, targets)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            loss_sum += loss.detach() * y.shape[0]
            correct += (logits.argmax(1) == y).sum()
        sync()
        now = time.perf_counter_ns()
        if step >= args.warmup:
            times.append((now - last) / 1e6)
        last = now
    return {
        "step_ms": times,
        "parameters": count_parameters(model),
        "final_loss": loss_sum.item() / n,
        "train_accuracy": correct.item() / n,
    }


def peak_rss_kib():
    """This process's peak resident memory. getrusage's ru_maxrss would not do: Linux carries it over
    from the parent through fork and exec, so a peer started by a large JVM reports the JVM's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except ImportError as e:
        print("pytorch_peer: %s; install Debian's PyTorch: apt-get install -y python3-torch" % e, file=sys.stderr)
        return MISSING_TORCH
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if args.probe:
        print(json.dumps(build_info(torch)))
        return 0
    if args.count_params:
        from nb201_torch import TinyNetwork, count_parameters
        model = TinyNetwork(args.channels, args.cells, args.genotype, args.classes, args.in_channels)
        print(count_parameters(model))
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print("pytorch_peer: this torch has no CUDA device (torch %s)" % torch.__version__, file=sys.stderr)
        return 2
    info = build_info(torch)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.no_onednn:
        torch.backends.mkldnn.enabled = False
    result = train(torch, args)
    result.update({
        "genotype": args.genotype,
        "channels": args.channels,
        "cells": args.cells,
        "resolution": args.resolution,
        "in_channels": args.in_channels,
        "classes": args.classes,
        "batch_size": args.batch_size,
        "warmup": args.warmup,
        "steps": args.steps,
        "padding": args.padding,
        "flip": not args.no_flip,
        "device": args.device,
        "threads": torch.get_num_threads(),
        "onednn": torch.backends.mkldnn.enabled,
        "max_rss_kib": peak_rss_kib(),
    })
    result.update(info)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
