#!/usr/bin/python3
"""Parameter counts of DARTS's search network, the oracles of DartsSupernetTest.

Run with Debian's python3-torch (not needed by the build or CI; only to regenerate):

    /usr/bin/python3 scripts/pytorch-fixtures/darts_supernet.py

The network is written here from the published description of DARTS's search model (Liu, Simonyan &
Yang, "DARTS: Differentiable Architecture Search", ICLR 2019, arXiv 1806.09055, Sections 2.1-2.4 and
Appendix A.1.1; the structure of Network, Cell and MixedOp in the authors' cnn/model_search.py and of
the operations in cnn/operations.py): a 3x3 stem convolution to 3C channels with an affine BN; L cells,
the ones at L//3 and 2L//3 reductions that double C; each cell preprocesses its two inputs with
ReLU-1x1 conv-BN, or with a factorized reduction of the first when the previous cell reduced; node i
(0..3) sums a mixed edge from each of the states 0..i+1 (14 edges), each the softmax(alpha)-weighted
sum of the eight ops; the cell concatenates the four nodes; global average pooling and a linear
classifier. Inside the cells every BN has no affine parameters, including the one the mixed edge puts
after each pooling op. The two architecture tensors (14 x 8 each) are plain tensors, not module
parameters, so they are not in parameters(): the count is PyTorch's sum of numel over parameters(),
what DARTS's search log reports divided by 1e6 ("param size = ...MB").
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

import darts_parameters
from darts_parameters import Zero

OPS = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
       "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]

# (input channels, side, classes, C, L): DARTS's CIFAR-10 search network, and the small ones
# DartsSupernetTest builds.
SHAPES = [(3, 32, 10, 16, 8), (1, 8, 3, 4, 3), (2, 16, 5, 6, 5)]


def bn(c):
    return nn.BatchNorm2d(c, affine=False)


class FactorizedReduce(darts_parameters.FactorizedReduce):
    """The evaluation network's factorized reduction, with the search network's plain BN."""

    def __init__(self, c_in, c_out):
        super().__init__(c_in, c_out)
        self.bn = bn(c_out)


def stack(c, kernel, stride, dilation):
    """ReLU, depthwise kxk (dilated), pointwise 1x1, BN."""
    return [nn.ReLU(), nn.Conv2d(c, c, kernel, stride, dilation * (kernel - 1) // 2, dilation, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), bn(c)]


def make_op(name, c, stride):
    if name == "none":
        return Zero(stride)
    if name == "max_pool_3x3":
        return nn.Sequential(nn.MaxPool2d(3, stride, 1), bn(c))
    if name == "avg_pool_3x3":
        return nn.Sequential(nn.AvgPool2d(3, stride, 1, count_include_pad=False), bn(c))
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c)
    size = int(name[-1])
    if name.startswith("sep_conv"):
        return nn.Sequential(*stack(c, size, stride, 1), *stack(c, size, 1, 1))
    if name.startswith("dil_conv"):
        return nn.Sequential(*stack(c, size, stride, 2))
    raise ValueError(name)


class MixedEdge(nn.Module):
    def __init__(self, c, stride):
        super().__init__()
        self.ops = nn.ModuleList(make_op(name, c, stride) for name in OPS)

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self.ops))


class SearchCell(nn.Module):
    def __init__(self, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.reduction = reduction
        self.pre0 = FactorizedReduce(c_pp, c) if reduction_prev else \
            nn.Sequential(nn.ReLU(), nn.Conv2d(c_pp, c, 1, bias=False), bn(c))
        self.pre1 = nn.Sequential(nn.ReLU(), nn.Conv2d(c_p, c, 1, bias=False), bn(c))
        # Edge (node i, state j) at index i(i+3)/2 + j: node 0's two, node 1's three, ...
        self.edges = nn.ModuleList(MixedEdge(c, 2 if reduction and j < 2 else 1)
                                   for i in range(4) for j in range(i + 2))

    def forward(self, s0, s1, weights):
        states = [self.pre0(s0), self.pre1(s1)]
        for i in range(4):
            first = i * (i + 3) // 2
            states.append(sum(self.edges[first + j](h, weights[first + j]) for j, h in enumerate(states)))
        return torch.cat(states[2:], dim=1)


class SearchNetwork(nn.Module):
    def __init__(self, in_channels, classes, c, layers):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        c_pp, c_p, c_cur = 3 * c, 3 * c, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_cur *= 2
            self.cells.append(SearchCell(c_pp, c_p, c_cur, reduction, reduction_prev))
            reduction_prev = reduction
            c_pp, c_p = c_p, 4 * c_cur
        self.classifier = nn.Linear(c_p, classes)
        # The architecture: plain tensors, as DARTS keeps them, outside parameters().
        self.alpha_normal = 1e-3 * torch.randn(14, len(OPS))
        self.alpha_reduce = 1e-3 * torch.randn(14, len(OPS))

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            weights = F.softmax(self.alpha_reduce if cell.reduction else self.alpha_normal, dim=-1)
            s0, s1 = s1, cell(s0, s1, weights)
        return self.classifier(s1.mean(dim=(2, 3)))


def parameters(in_channels, side, classes, c, layers):
    net = SearchNetwork(in_channels, classes, c, layers)
    with torch.no_grad():
        logits = net(torch.randn(2, in_channels, side, side))
    assert logits.shape == (2, classes)
    assert all(p.requires_grad for p in net.parameters())
    return sum(p.numel() for p in net.parameters())


def main():
    print("inChannels;side;classes;C;L;parameters")
    for shape in SHAPES:
        print(";".join(map(str, shape)) + ";" + str(parameters(*shape)))


if __name__ == "__main__":
    main()
