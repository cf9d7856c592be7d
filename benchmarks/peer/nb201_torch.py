"""NAS-Bench-201's standalone network in plain PyTorch, for scripts that compare the project with PyTorch.

The structure is the benchmark's as published (Dong & Yang, "NAS-Bench-201: Extending the Scope of
Reproducible Neural Architecture Search", ICLR 2020, arXiv 2001.00326; its code D-X-Y/AutoDL-Projects,
xautodl/models/cell_infers/tiny_network.py TinyNetwork, cell_infers/cells.py InferCell,
cell_operations.py ReLUConvBN, POOLING, Zero, Identity, ResNetBasicblock). Module and parameter names
follow that code, so "cells.0.layers.2.op.1.weight" means what it means in the benchmark's checkpoints.

Two differences, both as in the project's DJL network (core/.../space/nb201):
- the stem takes `in_channels` image channels (the benchmark's takes 3), so 1-channel images fit;
- a `none` edge is skipped instead of multiplied by zero: it adds exactly zero for finite inputs, and
  the project's cell skips it too, so both sides do the same work.

Import it from a script in the same folder (`from nb201_torch import TinyNetwork, parse_genotype`).
"""

import torch
import torch.nn as nn

OPS = ("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3")


def parse_genotype(text):
    """A genotype string as [[(op, source node), ...] for node 1, node 2, node 3], in the string's order.

    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|": node 1
    takes one edge from node 0, node 2 two edges (from nodes 0 and 1), node 3 three.
    """
    nodes = []
    for j, part in enumerate(text.strip().strip("|").split("|+|"), start=1):
        edges = []
        for entry in part.split("|"):
            op, _, source = entry.partition("~")
            if op not in OPS or not source.isdigit() or int(source) >= j:
                raise ValueError("not a NAS-Bench-201 genotype: %r (edge %r)" % (text, entry))
            edges.append((op, int(source)))
        nodes.append(edges)
    if len(nodes) != 3 or [len(n) for n in nodes] != [1, 2, 3]:
        raise ValueError("not a NAS-Bench-201 genotype: %r (needs nodes of 1, 2 and 3 edges)" % text)
    return nodes


class ReLUConvBN(nn.Module):
    """ReLU → Conv (no bias) → BatchNorm (affine, running statistics)."""

    def __init__(self, c_in, c_out, kernel, stride, padding):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=padding, bias=False),
            nn.BatchNorm2d(c_out),
        )

    def forward(self, x):
        return self.op(x)


class Pooling(nn.Module):
    """avg_pool_3x3 at stride 1 with equal channels: the padding is not counted in the average."""

    def __init__(self):
        super().__init__()
        self.op = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)

    def forward(self, x):
        return self.op(x)


class Zero(nn.Module):
    """The `none` op; InferCell skips it (see the module's comment)."""

    def forward(self, x):
        return x.mul(0.0)


class Identity(nn.Module):
    def forward(self, x):
        return x


def make_op(name, c):
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return Identity()
    if name == "nor_conv_1x1":
        return ReLUConvBN(c, c, 1, 1, 0)
    if name == "nor_conv_3x3":
        return ReLUConvBN(c, c, 3, 1, 1)
    if name == "avg_pool_3x3":
        return Pooling()
    raise ValueError(name)


class ResNetBasicblock(nn.Module):
    """The reduction between stages: a = ReLUConvBN 3×3/2, b = ReLUConvBN 3×3,
    shortcut = AvgPool 2×2/2 → Conv 1×1 (no bias, no BN); output = shortcut(x) + b(a(x))."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_a = ReLUConvBN(c_in, c_out, 3, 2, 1)
        self.conv_b = ReLUConvBN(c_out, c_out, 3, 1, 1)
        self.downsample = nn.Sequential(
            nn.AvgPool2d(kernel_size=2, stride=2, padding=0),
            nn.Conv2d(c_in, c_out, kernel_size=1, stride=1, padding=0, bias=False),
        )

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class InferCell(nn.Module):
    """Node 0 is the input; node j = Σ op(node i) over its edges; the output is node 3."""

    def __init__(self, genotype, c):
        super().__init__()
        self.layers = nn.ModuleList()
        self.node_in = []
        self.node_ix = []
        for node in genotype:
            ix, ins = [], []
            for op, source in node:
                ix.append(len(self.layers))
                ins.append(source)
                self.layers.append(make_op(op, c))
            self.node_ix.append(ix)
            self.node_in.append(ins)

    def forward(self, x):
        nodes = [x]
        for ix, ins in zip(self.node_ix, self.node_in):
            total = None
            for l, i in zip(ix, ins):
                if isinstance(self.layers[l], Zero):
                    continue
                out = self.layers[l](nodes[i])
                total = out if total is None else total + out
            nodes.append(torch.zeros_like(x) if total is None else total)
        return nodes[-1]


class TinyNetwork(nn.Module):
    """Stem Conv3×3 → BN; N cells at C; reduction; N cells at 2C; reduction; N cells at 4C;
    BN → ReLU → global average pool → Linear."""

    def __init__(self, c, n, genotype, classes, in_channels=3):
        super().__init__()
        if isinstance(genotype, str):
            genotype = parse_genotype(genotype)
        self.stem = nn.Sequential(nn.Conv2d(in_channels, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        channels = [c] * n + [2 * c] + [2 * c] * n + [4 * c] + [4 * c] * n
        reductions = [False] * n + [True] + [False] * n + [True] + [False] * n
        self.cells = nn.ModuleList()
        prev = c
        for cur, reduction in zip(channels, reductions):
            self.cells.append(ResNetBasicblock(prev, cur) if reduction else InferCell(genotype, cur))
            prev = cur
        self.lastact = nn.Sequential(nn.BatchNorm2d(prev), nn.ReLU(inplace=True))
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(prev, classes)

    def forward(self, x):
        feature = self.stem(x)
        for cell in self.cells:
            feature = cell(feature)
        out = self.global_pooling(self.lastact(feature))
        return self.classifier(out.view(out.size(0), -1))


def count_parameters(model):
    """Trainable weights, as NAS-Bench-201 counts them (BatchNorm's running statistics are buffers)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
