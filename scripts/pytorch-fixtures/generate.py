#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that PyTorchEquivalenceTest holds the DJL networks to.

Run with Debian's python3-torch (not needed by the build or CI; only to regenerate):

    /usr/bin/python3 scripts/pytorch-fixtures/generate.py [--out core/src/test/resources/pytorch-fixtures]

The network is NAS-Bench-201's standalone network as published (Dong & Yang, "NAS-Bench-201: Extending
the Scope of Reproducible Neural Architecture Search", ICLR 2020, arXiv 2001.00326), written here from
the structure of the benchmark's own code (D-X-Y/AutoDL-Projects, xautodl/models/cell_infers/
tiny_network.py TinyNetwork, cell_infers/cells.py InferCell, cell_operations.py ReLUConvBN, POOLING,
Zero, Identity, ResNetBasicblock). Module and parameter names follow that code, so a name such as
"cells.0.layers.2.op.1.weight" means what it means in the benchmark's checkpoints. One change: the stem
takes `in_channels` input channels (the benchmark's is fixed at 3), so that 1-channel images fit.

Training follows the benchmark's optimiser (xautodl/procedures/optimizers.py get_optim_scheduler:
torch.optim.SGD over all of net.parameters(), momentum 0.9, Nesterov, weight decay 5e-4, so BN γ/β
and the classifier bias are decayed too; nn.CrossEntropyLoss), with the learning rate of the
project's Protocol.learningRateAt(step, totalSteps) for the cosine schedule: before step k (0-based)
of K, lr = 0.1 · (1 + cos(π·k/K)) / 2. Each step trains on the same fixed batch (no augmentation).

Everything is computed in float64 (model.double()) from float32 starting values (the weights are
PyTorch's default initialisation drawn in float32, the images float32 normal draws), so the Java side
starts from exactly the same numbers; the float64 results are stored rounded to float32 (a relative
rounding of 6e-8, far below the test's tolerance). Each fixture also records how far float32 PyTorch
lies from the float64 reference under the test's measure ("float32Deviation"), and how far the
conditioning probe described at MAX_PROBE_DEVIATION lies ("probeDeviation").

Format (format 1): per fixture NAME.json (metadata, labels, loss, learning rates, and an index of
tensors) and NAME.bin (the tensors, little-endian float32, concatenated). Each tensor entry gives its
name, shape and byte offset in the .bin. Tensor names: "images" (N×C×H×W), "logits" (train-mode
logits of step 1's forward pass), "eval_logits" (eval-mode logits after the last step), and for each
network tensor P listed in "parameters" (in module order, buffers included, num_batches_tracked
left out): "init/P", "grad/P" (after step 1's backward; trainable tensors only) and "final/P" (after
the last step). index.json lists the fixtures.
"""

import argparse
import json
import math
import os
import struct

import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# The network itself is the one the perf peer trains (one definition of the published structure).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benchmarks", "peer"))
from nb201_torch import TinyNetwork, parse_genotype  # noqa: E402

FORMAT = 1
STEPS = 10
BATCH = 8
CLASSES = 10
SIDE = 16
CELLS = 1
LR = 0.1
MIN_LR = 0.0
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4
# The scale below which a tensor counts as zero in the test's measure (see deviation()).
FLOOR = 1e-3
# Ten steps at lr 0.1 on one batch of 8 are chaotic at float32's precision: rounding grows a
# hundredfold, and a ReLU input within rounding of 0 flips its gradient mask, which at the 4×4 stage
# moves whole gradients by percents. Float32 PyTorch itself misses its float64 run by 1e-3 to 0.5 on
# about a third of draws, and another float32 implementation misses on other draws. So the states after
# ten steps are compared in float64, where rounding is 1e-16, and fixtures are drawn until that
# comparison is well conditioned: the float64 training run again with the optimiser's settings rounded
# to float32 (lr, momentum and weight decay, as the project's optimiser holds them) and the starting
# weights perturbed by PERTURBATION lands within MAX_PROBE_DEVIATION of the reference in every check.
PERTURBATION = 1e-9
MAX_PROBE_DEVIATION = 1e-6
MAX_ATTEMPTS = 30

# The genotypes under test; between them every op appears, and `none` on edges into nodes 2 and 3.
GENOTYPES = {
    # none, avg_pool_3x3 and skip_connect beside both convolutions.
    "mixed": "|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|",
    # The benchmark's ResNet-like cell.
    "resnet": "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
    # Pooling on the cell's input and on node 2, 1×1 convolutions and skips.
    "pool": "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|avg_pool_3x3~2|",
}

# (genotype key, C, input channels). C=4 is a full cross; the larger networks are few, to keep the
# committed files small (C=16 alone is about 1.9 MB).
CASES = [(g, 4, i) for g in GENOTYPES for i in (1, 3)] + [
    ("mixed", 8, 3),
    ("resnet", 8, 1),
    ("pool", 8, 3),
    ("mixed", 16, 1),
]


def network_tensors(model):
    """[(name, kind, tensor)] in module order: what the DJL network's parameter list holds, in its order."""
    out = []
    for prefix, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            out.append((prefix + ".weight", "conv_weight", module.weight))
        elif isinstance(module, nn.Linear):
            out.append((prefix + ".weight", "linear_weight", module.weight))
            out.append((prefix + ".bias", "linear_bias", module.bias))
        elif isinstance(module, nn.BatchNorm2d):
            out.append((prefix + ".weight", "bn_weight", module.weight))
            out.append((prefix + ".bias", "bn_bias", module.bias))
            out.append((prefix + ".running_mean", "bn_running_mean", module.running_mean))
            out.append((prefix + ".running_var", "bn_running_var", module.running_var))
    names = {n for n, _, _ in out}
    expected = {n for n, _ in model.named_parameters()} | {
        n for n, _ in model.named_buffers() if not n.endswith("num_batches_tracked")}
    assert names == expected, (names ^ expected)
    return out


def learning_rate(step, total):
    """Protocol.learningRateAt(step, totalSteps) for the cosine schedule."""
    return MIN_LR + 0.5 * (LR - MIN_LR) * (1 + math.cos(math.pi * min(1.0, step / total)))


def as_float(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def train(model, images, labels, rates, momentum, weight_decay):
    """Step 1's logits, loss and gradients; the tensors after the last step; eval logits after it."""
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=rates[0], momentum=momentum, nesterov=True,
                                weight_decay=weight_decay)
    record = {}
    for step, lr in enumerate(rates):
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        logits = model(images)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        if step == 0:
            record["logits"] = logits.detach().clone()
            record["loss"] = loss.item()
            record["grad"] = {n: t.grad.detach().clone() for n, _, t in network_tensors(model)
                              if isinstance(t, nn.Parameter)}
        optimizer.step()
    record["final"] = {n: t.detach().clone() for n, _, t in network_tensors(model)}
    model.eval()
    with torch.no_grad():
        record["eval_logits"] = model(images).clone()
    return record


def float64_copy(model, model32, perturbation):
    """`model`, a fresh network of model32's structure, in float64 with model32's values, each parameter
    multiplied by 1 + perturbation · N(0, 1) (drawn from PyTorch's generator even when perturbation is 0)."""
    model = model.double()
    model.load_state_dict(model32.state_dict())
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(1 + perturbation * torch.randn_like(p))
    return model


def deviation(a, b):
    """The test's measure: max|a − b| / max(max|b|, FLOOR)."""
    return (a.double() - b.double()).abs().max().item() / max(b.double().abs().max().item(), FLOOR)


def deviations(run, ref):
    """The test's measure for each check of a fixture, the largest over its tensors."""
    return {
        "logits": deviation(run["logits"], ref["logits"]),
        "loss": abs(run["loss"] - ref["loss"]) / abs(ref["loss"]),
        "grad": max(deviation(run["grad"][n], g) for n, g in ref["grad"].items()),
        "final": max(deviation(run["final"][n], t) for n, t in ref["final"].items()),
        "eval_logits": deviation(run["eval_logits"], ref["eval_logits"]),
    }


def fixture(key, c, in_channels, seed):
    genotype = parse_genotype(GENOTYPES[key])
    torch.manual_seed(seed)
    # PyTorch's default initialisation in float32, as the benchmark's networks start.
    model32 = TinyNetwork(c, CELLS, genotype, CLASSES, in_channels)
    images32 = torch.randn(BATCH, in_channels, SIDE, SIDE, dtype=torch.float32)
    labels = torch.randint(0, CLASSES, (BATCH,), dtype=torch.int64)
    init = {n: t.detach().clone() for n, _, t in network_tensors(model32)}
    rates = [learning_rate(k, STEPS) for k in range(STEPS)]

    def model64(perturbation):
        return float64_copy(TinyNetwork(c, CELLS, genotype, CLASSES, in_channels), model32, perturbation)

    ref = train(model64(0.0), images32.double(), labels, rates, MOMENTUM, WEIGHT_DECAY)
    # Conditioning probe: the float64 training again, with the optimiser's settings rounded to float32
    # (as the project's optimiser holds them) and the starting weights perturbed by PERTURBATION.
    probe = deviations(train(model64(PERTURBATION), images32.double(), labels, [as_float(r) for r in rates],
                             as_float(MOMENTUM), as_float(WEIGHT_DECAY)), ref)
    # For the record: how far float32 PyTorch itself lies from the reference.
    f32 = deviations(train(model32, images32, labels, rates, MOMENTUM, WEIGHT_DECAY), ref)

    tensors = [("images", images32), ("logits", ref["logits"]), ("eval_logits", ref["eval_logits"])]
    params = []
    for name, kind, t in network_tensors(model32):
        params.append({"name": name, "kind": kind, "shape": list(t.shape), "trainable": name in ref["grad"]})
        tensors.append(("init/" + name, init[name]))
        if name in ref["grad"]:
            tensors.append(("grad/" + name, ref["grad"][name]))
        tensors.append(("final/" + name, ref["final"][name]))

    return tensors, {
        "format": FORMAT,
        "torch": torch.__version__,
        "seed": seed,
        "genotype": GENOTYPES[key],
        "inChannels": in_channels,
        "height": SIDE,
        "width": SIDE,
        "classes": CLASSES,
        "channels": c,
        "cellsPerStage": CELLS,
        "batch": BATCH,
        "labels": labels.tolist(),
        "steps": STEPS,
        "learningRate": LR,
        "minLearningRate": MIN_LR,
        "momentum": MOMENTUM,
        "nesterov": True,
        "weightDecay": WEIGHT_DECAY,
        "learningRates": rates,
        "loss": ref["loss"],
        "parameters": params,
        "float32Deviation": f32,
        "perturbation": PERTURBATION,
        "probeDeviation": probe,
    }


def well_conditioned(meta):
    """Whether float32 rounding stays well inside the test's tolerance on this fixture."""
    return max(meta["probeDeviation"].values()) <= MAX_PROBE_DEVIATION


def write(out_dir, name, tensors, meta, indent=1):
    index = []
    blob = bytearray()
    for tname, t in tensors:
        values = t.detach().to(torch.float32).contiguous().view(-1).tolist()
        index.append({"name": tname, "shape": list(t.shape), "offset": len(blob)})
        blob += struct.pack("<%df" % len(values), *values)
    meta = dict(meta)
    meta["data"] = name + ".bin"
    meta["dtype"] = "float32"
    meta["byteOrder"] = "little"
    meta["tensors"] = index
    with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
        f.write(blob)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(meta, f, indent=indent)
        f.write("\n")
    return len(blob)


def fmt(deviations):
    return " ".join("%s=%.1e" % (k, v) for k, v in deviations.items())


def out_dir(doc):
    """The --out folder of a generator script (created), with PyTorch set to run single-threaded and deterministic."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "core", "src",
                                                      "test", "resources", "pytorch-fixtures"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    return args.out


def write_all(out, cases, index, indent=1):
    """Draws each case, [(name, draw)] with draw(seed) -> (tensors, meta), from seed 1000·(number + 1)
    upwards until it is well conditioned, writes it, and lists the names in the index file `index`."""
    names = []
    total = 0
    for number, (name, draw) in enumerate(cases):
        for attempt in range(MAX_ATTEMPTS):
            tensors, meta = draw(1000 * (number + 1) + attempt)
            print("%-20s seed %d: probe %s; float32 %s" % (
                name, meta["seed"], fmt(meta["probeDeviation"]), fmt(meta["float32Deviation"])))
            if well_conditioned(meta):
                break
        else:
            raise SystemExit("no well-conditioned seed for " + name)
        total += write(out, name, tensors, meta, indent)
        names.append(name)
    with open(os.path.join(out, index), "w") as f:
        json.dump({"format": FORMAT, "fixtures": names}, f, indent=1)
        f.write("\n")
    print("total %d bytes" % total)


def main():
    cases = [("%s-c%d-in%d" % (key, c, i), lambda seed, key=key, c=c, i=i: fixture(key, c, i, seed))
             for key, c, i in CASES]
    write_all(out_dir(__doc__), cases, "index.json")


if __name__ == "__main__":
    main()
