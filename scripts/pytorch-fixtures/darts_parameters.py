#!/usr/bin/python3
"""Parameter counts and FLOPs of DARTS's CIFAR evaluation network, the oracles of DartsCostTest.

Run with Debian's python3-torch (not needed by the build or CI; only to regenerate):

    /usr/bin/python3 scripts/pytorch-fixtures/darts_parameters.py

The network is written here from the published description of DARTS's evaluation network (Liu, Simonyan
& Yang, "DARTS: Differentiable Architecture Search", ICLR 2019, arXiv 1806.09055, Section 3 and
Appendix A.1; the structure of NetworkCIFAR, Cell and AuxiliaryHeadCIFAR in the authors' cnn/model.py
and of the operations in cnn/operations.py): a 3x3 stem convolution to 3C channels with BN; L cells, the
ones at L//3 and 2L//3 reductions that double C; each cell preprocesses its two inputs with ReLU-1x1
conv-BN, or with a factorized reduction when the previous cell reduced; its four nodes each sum two ops
and the cell concatenates the four; global average pooling and a linear classifier. The auxiliary head
reads the output of cell 2L//3. Parameters are counted PyTorch's way (sum of numel over parameters(),
BN running statistics left out), and the network is run once on a 32x32 batch to check its shapes.

FLOPs are counted independently of the Java closed form, by forward hooks on every module of one
forward pass of one 3x32x32 image, with NAS-Bench-201's convention as Nb201Cost applies it:
multiply-accumulates of Conv2d (per output element, in_channels/groups * kh * kw) and Linear (per
output, in_features), plus one per output of a layer with a bias; BatchNorm, pooling, ReLU and the
cells' sums and concatenations count nothing. The hooks count every module they see, so a module type
the convention does not name stops the script rather than going uncounted.

The script first checks the reference count of P-DARTS (Chen et al., ICCV 2019: 3.4M on CIFAR-10;
exactly 3,433,798 without and 3,910,224 with the auxiliary head at C=36, L=20), then prints every published
genotype's parameter counts and FLOPs in the form DartsCostTest lists them.
"""

import torch
import torch.nn as nn

# Published genotypes, (op, input) pairs of the normal and the reduction cell, two per node.
# DARTS_V1/V2: quark0/darts cnn/genotypes.py (DARTS = DARTS_V2 there); PDARTS: chenxin061/pdarts
# genotypes.py; PC_DARTS_CIFAR/IMAGENET: yuhuixu1993/PC-DARTS genotypes.py.
GENOTYPES = {
    "DARTS_V1": (
        [("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("skip_connect", 0), ("sep_conv_3x3", 1),
         ("skip_connect", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("skip_connect", 2)],
        [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 0),
         ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("avg_pool_3x3", 0)]),
    "DARTS_V2": (
        [("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1),
         ("sep_conv_3x3", 1), ("skip_connect", 0), ("skip_connect", 0), ("dil_conv_3x3", 2)],
        [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1),
         ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1)]),
    "PDARTS": (
        [("skip_connect", 0), ("dil_conv_3x3", 1), ("skip_connect", 0), ("sep_conv_3x3", 1),
         ("sep_conv_3x3", 1), ("sep_conv_3x3", 3), ("sep_conv_3x3", 0), ("dil_conv_5x5", 4)],
        [("avg_pool_3x3", 0), ("sep_conv_5x5", 1), ("sep_conv_3x3", 0), ("dil_conv_5x5", 2),
         ("max_pool_3x3", 0), ("dil_conv_3x3", 1), ("dil_conv_3x3", 1), ("dil_conv_5x5", 3)]),
    "PC_DARTS_CIFAR": (
        [("sep_conv_3x3", 1), ("skip_connect", 0), ("sep_conv_3x3", 0), ("dil_conv_3x3", 1),
         ("sep_conv_5x5", 0), ("sep_conv_3x3", 1), ("avg_pool_3x3", 0), ("dil_conv_3x3", 1)],
        [("sep_conv_5x5", 1), ("max_pool_3x3", 0), ("sep_conv_5x5", 1), ("sep_conv_5x5", 2),
         ("sep_conv_3x3", 0), ("sep_conv_3x3", 3), ("sep_conv_3x3", 1), ("sep_conv_3x3", 2)]),
    "PC_DARTS_IMAGENET": (
        [("skip_connect", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 0), ("skip_connect", 1),
         ("sep_conv_3x3", 1), ("sep_conv_3x3", 3), ("sep_conv_3x3", 1), ("dil_conv_5x5", 4)],
        [("sep_conv_3x3", 0), ("skip_connect", 1), ("dil_conv_5x5", 2), ("max_pool_3x3", 1),
         ("sep_conv_3x3", 2), ("sep_conv_3x3", 1), ("sep_conv_5x5", 0), ("sep_conv_3x3", 3)]),
}

# (C, L) pairs: the published setting, and the small one DartsNetworkTest builds in DJL.
SHAPES = [(36, 20), (8, 5)]
CLASSES = 10


def relu_conv_bn(c_in, c_out, kernel, stride, padding, dilation=1, groups=1):
    return [nn.ReLU(), nn.Conv2d(c_in, c_out, kernel, stride, padding, dilation, groups, bias=False),
            nn.BatchNorm2d(c_out)]


class FactorizedReduce(nn.Module):
    """ReLU, then two stride-2 1x1 convolutions to C/2, the second offset by one pixel; concat; BN."""

    def __init__(self, c_in, c_out):
        super().__init__()
        assert c_out % 2 == 0
        self.a = nn.Conv2d(c_in, c_out // 2, 1, 2, bias=False)
        self.b = nn.Conv2d(c_in, c_out // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = torch.relu(x)
        return self.bn(torch.cat([self.a(x), self.b(x[:, :, 1:, 1:])], dim=1))


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride, ::self.stride] * 0.0


def separable(c, kernel, stride, padding, dilation):
    """ReLU, depthwise kxk (dilated), pointwise 1x1, BN."""
    return [nn.ReLU(), nn.Conv2d(c, c, kernel, stride, padding, dilation, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c)]


def make_op(name, c, stride):
    if name == "none":
        return Zero(stride)
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride, 1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride, 1, count_include_pad=False)
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c)
    kind, size = name[:8], int(name[-1])
    if kind == "sep_conv":
        # Two separable stacks; only the first strides.
        return nn.Sequential(*separable(c, size, stride, size // 2, 1), *separable(c, size, 1, size // 2, 1))
    if kind == "dil_conv":
        return nn.Sequential(*separable(c, size, stride, size - 1, 2))
    raise ValueError(name)


class Cell(nn.Module):
    def __init__(self, edges, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(c_pp, c) if reduction_prev else nn.Sequential(*relu_conv_bn(c_pp, c, 1, 1, 0))
        self.pre1 = nn.Sequential(*relu_conv_bn(c_p, c, 1, 1, 0))
        self.inputs = [i for _, i in edges]
        self.ops = nn.ModuleList(make_op(op, c, 2 if reduction and i < 2 else 1) for op, i in edges)

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for node in range(len(self.ops) // 2):
            states.append(sum(self.ops[e](states[self.inputs[e]]) for e in (2 * node, 2 * node + 1)))
        return torch.cat(states[2:], dim=1)


class AuxiliaryHead(nn.Module):
    def __init__(self, c, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.ReLU(), nn.AvgPool2d(5, 3, 0, count_include_pad=False),
            nn.Conv2d(c, 128, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 768, 2, bias=False), nn.BatchNorm2d(768), nn.ReLU())
        self.classifier = nn.Linear(768, classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class Network(nn.Module):
    def __init__(self, genotype, c, layers, classes, auxiliary):
        super().__init__()
        normal, reduce = genotype
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        c_pp, c_p, c_cur = 3 * c, 3 * c, c
        self.cells = nn.ModuleList()
        self.aux_after = 2 * layers // 3
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_cur *= 2
            self.cells.append(Cell(reduce if reduction else normal, c_pp, c_p, c_cur, reduction, reduction_prev))
            reduction_prev = reduction
            c_pp, c_p = c_p, 4 * c_cur
            if i == self.aux_after:
                c_aux = c_p
        self.auxiliary = AuxiliaryHead(c_aux, classes) if auxiliary else None
        self.classifier = nn.Linear(c_p, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        aux = None
        for i, cell in enumerate(self.cells):
            s0, s1 = s1, cell(s0, s1)
            if i == self.aux_after and self.auxiliary is not None:
                aux = self.auxiliary(s1)
        return self.classifier(s1.mean(dim=(2, 3))), aux


def parameters(genotype, c, layers, auxiliary):
    net = Network(genotype, c, layers, CLASSES, auxiliary)
    with torch.no_grad():
        logits, aux = net(torch.zeros(2, 3, 32, 32))
    assert logits.shape == (2, CLASSES)
    assert (aux is None) != auxiliary and (aux is None or aux.shape == (2, CLASSES))
    return sum(p.numel() for p in net.parameters())


# Module types that cost nothing by the convention; Conv2d and Linear are counted; anything else is an error.
FREE = (nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d, nn.AvgPool2d, nn.Identity, Zero)
CONTAINERS = (nn.Sequential, nn.ModuleList, FactorizedReduce, Cell, AuxiliaryHead)


def flops(genotype, c, layers, auxiliary):
    """Multiply-accumulates of one forward pass of one 32x32 image, counted by forward hooks."""
    net = Network(genotype, c, layers, CLASSES, auxiliary).eval()
    total = [0]

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.Linear):
            per_output = module.in_features
        else:
            return
        total[0] += output.numel() * (per_output + (module.bias is not None))

    for module in net.modules():
        if module is not net and not isinstance(module, CONTAINERS) and not isinstance(module, FREE) \
                and not isinstance(module, (nn.Conv2d, nn.Linear)):
            raise TypeError(f"no FLOPs convention for {type(module).__name__}")
        module.register_forward_hook(count)
    with torch.no_grad():
        net(torch.zeros(1, 3, 32, 32))
    return total[0]


def main():
    assert parameters(GENOTYPES["PDARTS"], 36, 20, False) == 3_433_798
    assert parameters(GENOTYPES["PDARTS"], 36, 20, True) == 3_910_224
    print("P-DARTS oracle reproduced: 3433798 / 3910224")
    print("genotype;C;L;parameters without auxiliary head;with it;FLOPs without auxiliary head;with it")
    for name, genotype in GENOTYPES.items():
        for c, layers in SHAPES:
            counts = [parameters(genotype, c, layers, False), parameters(genotype, c, layers, True),
                      flops(genotype, c, layers, False), flops(genotype, c, layers, True)]
            print(f'"{name};{c};{layers};' + ";".join(map(str, counts)) + '",')


if __name__ == "__main__":
    main()
