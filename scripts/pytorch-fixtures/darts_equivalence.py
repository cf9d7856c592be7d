#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that DartsPyTorchEquivalenceTest holds the DJL DARTS network to.

Run with Debian's python3-torch (not needed by the build or CI; only to regenerate):

    /usr/bin/python3 scripts/pytorch-fixtures/darts_equivalence.py [--out core/src/test/resources/pytorch-fixtures]

The network is DARTS's CIFAR evaluation network as darts_parameters.py writes it from the published
structure (NetworkCIFAR, Cell, AuxiliaryHeadCIFAR and the ops of the authors' cnn/model.py and
cnn/operations.py). Training follows the authors' cnn/train.py: torch.optim.SGD over all of
model.parameters() with momentum 0.9 (not Nesterov) and weight decay 3e-4, lr 0.025 (the cosine
schedule's start, held for the few steps here), cross-entropy plus 0.4 times the auxiliary head's
cross-entropy when the head is attached, and clip_grad_norm_(model.parameters(), 5) before each step.
Drop-path is off: its masks are random draws, which the fixture cannot share with the Java side; its
arithmetic is tested on its own (DartsDropPathTest). Each step trains on the same fixed batch.

As in generate.py (whose format, writer and measure this script reuses), everything is computed in
float64 from float32 starting values and stored rounded to float32, and a fixture is drawn until the
float64 run is well conditioned (probeDeviation); float32Deviation records how far float32 PyTorch lies.

Starting values are PyTorch's default initialisation drawn in float32, except for a tensor of more
than LARGE elements (the auxiliary head's 2x2 convolution to 768 channels, 393,216 weights), which
would make the fixture megabytes: it starts from formula_init() instead, which the Java side computes
exactly, and its gradient and final values are stored for every SAMPLE-th element only (the parameter
entry's "init" is "formula" and its "sample" is SAMPLE; 1 means every element).

Tensor names (besides generate.py's "images", "logits", "eval_logits", "init/P", "grad/P", "final/P"):
"aux_logits" (train-mode auxiliary logits of step 1's forward pass, with the head) and
"start_eval_logits" (eval-mode logits before any step). The JSON adds the genotype in DARTS's form,
"layers", "auxiliary", "auxiliaryWeight", "gradientClip" and "gradNorms" (the global gradient norm
before clipping at each step). darts-index.json lists the fixtures.
"""

import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from darts_parameters import GENOTYPES, Network  # noqa: E402

STEPS = 3
CLASSES = 10
LR = 0.025
MOMENTUM = 0.9
WEIGHT_DECAY = 3e-4
GRAD_CLIP = 5.0
AUX_WEIGHT = 0.4
LARGE = 4096
SAMPLE = 61
INDEX = "darts-index.json"

# Every op at the strides it can take: in the reduction cell each op but one reads s0 or s1 at stride 2
# (skip_connect as FactorizedReduce, both pools, all four convolutions), and skip_connect also reads a
# node at stride 1; the normal cell has every op at stride 1. With L=5 cells 2 and 4 follow a
# reduction, so their s0 is preprocessed by FactorizedReduce too.
EVERY_OP = (
    [("sep_conv_3x3", 0), ("sep_conv_5x5", 1), ("dil_conv_3x3", 0), ("dil_conv_5x5", 2),
     ("skip_connect", 1), ("avg_pool_3x3", 2), ("max_pool_3x3", 3), ("skip_connect", 4)],
    [("skip_connect", 0), ("max_pool_3x3", 1), ("avg_pool_3x3", 0), ("sep_conv_3x3", 1),
     ("dil_conv_3x3", 0), ("sep_conv_5x5", 1), ("dil_conv_5x5", 1), ("skip_connect", 3)])

# (name, genotype, C, L, side, batch, auxiliary). The head reads an 8x8 map, so its case runs at 32 px.
CASES = [
    ("darts-everyop-c4-l5", EVERY_OP, 4, 5, 16, 8, False),
    ("darts-v2-c4-l5-aux", GENOTYPES["DARTS_V2"], 4, 5, 32, 4, True),
]


def genotype_string(genotype):
    """DARTS's printed form of a genotype, as DartsGenotype.parse reads it."""
    normal, reduce = genotype
    return "Genotype(normal=%r, normal_concat=range(2, 6), reduce=%r, reduce_concat=range(2, 6))" % (normal, reduce)


def formula_init(shape, fan_in):
    """U(±1/√fan_in)-like values from a Weyl sequence: element i (row-major) is b·(2u − 1) with
    u = (i·2654435761 mod 2^32) / 2^32 and b = 1/√fan_in, in float64, rounded to float32. Every
    operation is exact or correctly rounded, so Java computes the same float32 values."""
    n = math.prod(shape)
    bound = 1.0 / math.sqrt(fan_in)
    values = [bound * (2.0 * ((i * 2654435761) % 4294967296 / 4294967296.0) - 1.0) for i in range(n)]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32).reshape(shape)


def large(t):
    return t.numel() > LARGE


def sampled(t):
    """The stored form of a tensor: every element, or every SAMPLE-th of a large one."""
    return t.reshape(-1)[::SAMPLE].clone() if large(t) else t


def train(model, images, labels, auxiliary, lr, momentum, weight_decay):
    """Step 1's outputs, loss and gradients; the tensors after STEPS steps; eval logits before and after."""
    record = {}
    model.eval()
    with torch.no_grad():
        record["start_eval_logits"] = model(images)[0].clone()
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    norms = []
    for step in range(STEPS):
        optimizer.zero_grad()
        logits, aux = model(images)
        loss = F.cross_entropy(logits, labels)
        if auxiliary:
            loss = loss + AUX_WEIGHT * F.cross_entropy(aux, labels)
        loss.backward()
        if step == 0:
            record["logits"] = logits.detach().clone()
            if auxiliary:
                record["aux_logits"] = aux.detach().clone()
            record["loss"] = loss.item()
            record["grad"] = {n: t.grad.detach().clone() for n, _, t in generate.network_tensors(model)
                              if isinstance(t, nn.Parameter)}
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP).item())
        optimizer.step()
    record["gradNorms"] = norms
    record["final"] = {n: t.detach().clone() for n, _, t in generate.network_tensors(model)}
    model.eval()
    with torch.no_grad():
        record["eval_logits"] = model(images)[0].clone()
    return record


def deviations(run, ref):
    """generate.py's measure for each check of a fixture, the largest over its tensors."""
    d = generate.deviation
    out = {
        "logits": d(run["logits"], ref["logits"]),
        "loss": abs(run["loss"] - ref["loss"]) / abs(ref["loss"]),
        "grad": max(d(run["grad"][n], g) for n, g in ref["grad"].items()),
        "gradNorms": max(abs(a - b) / b for a, b in zip(run["gradNorms"], ref["gradNorms"])),
        "final": max(d(run["final"][n], t) for n, t in ref["final"].items()),
        "start_eval_logits": d(run["start_eval_logits"], ref["start_eval_logits"]),
        "eval_logits": d(run["eval_logits"], ref["eval_logits"]),
    }
    if "aux_logits" in ref:
        out["aux_logits"] = d(run["aux_logits"], ref["aux_logits"])
    return out


def fixture(genotype, c, layers, side, batch, auxiliary, seed):
    torch.manual_seed(seed)
    model32 = Network(genotype, c, layers, CLASSES, auxiliary)
    tensors32 = generate.network_tensors(model32)
    with torch.no_grad():
        for _, kind, t in tensors32:
            if large(t):
                t.copy_(formula_init(tuple(t.shape), t[0].numel()))
    images32 = torch.randn(batch, 3, side, side, dtype=torch.float32)
    labels = torch.randint(0, CLASSES, (batch,), dtype=torch.int64)
    init = {n: t.detach().clone() for n, _, t in tensors32}

    def model64(perturbation):
        return generate.float64_copy(Network(genotype, c, layers, CLASSES, auxiliary), model32, perturbation)

    images64 = images32.double()
    ref = train(model64(0.0), images64, labels, auxiliary, LR, MOMENTUM, WEIGHT_DECAY)
    probe = deviations(train(model64(generate.PERTURBATION), images64, labels, auxiliary, generate.as_float(LR),
                             generate.as_float(MOMENTUM), generate.as_float(WEIGHT_DECAY)), ref)
    f32 = deviations(train(model32, images32, labels, auxiliary, LR, MOMENTUM, WEIGHT_DECAY), ref)

    tensors = [("images", images32), ("logits", ref["logits"]), ("start_eval_logits", ref["start_eval_logits"]),
               ("eval_logits", ref["eval_logits"])]
    if auxiliary:
        tensors.append(("aux_logits", ref["aux_logits"]))
    params = []
    for name, kind, t in tensors32:
        trainable = name in ref["grad"]
        params.append({"name": name, "kind": kind, "shape": list(t.shape), "trainable": trainable,
                       "init": "formula" if large(t) else "stored", "sample": SAMPLE if large(t) else 1})
        if not large(t):
            tensors.append(("init/" + name, init[name]))
        if trainable:
            tensors.append(("grad/" + name, sampled(ref["grad"][name])))
        tensors.append(("final/" + name, sampled(ref["final"][name])))

    return tensors, {
        "format": generate.FORMAT,
        "torch": torch.__version__,
        "seed": seed,
        "genotype": genotype_string(genotype),
        "inChannels": 3,
        "height": side,
        "width": side,
        "classes": CLASSES,
        "channels": c,
        "layers": layers,
        "auxiliary": auxiliary,
        "auxiliaryWeight": AUX_WEIGHT if auxiliary else 0.0,
        "batch": batch,
        "labels": labels.tolist(),
        "steps": STEPS,
        "learningRate": LR,
        "momentum": MOMENTUM,
        "nesterov": False,
        "weightDecay": WEIGHT_DECAY,
        "gradientClip": GRAD_CLIP,
        "dropPathProb": 0.0,
        "loss": ref["loss"],
        "gradNorms": ref["gradNorms"],
        "parameters": params,
        "float32Deviation": f32,
        "perturbation": generate.PERTURBATION,
        "probeDeviation": probe,
    }


def main():
    cases = [(name, lambda seed, case=case: fixture(*case, seed)) for name, *case in CASES]
    generate.write_all(generate.out_dir(__doc__), cases, INDEX, indent=None)


if __name__ == "__main__":
    main()
