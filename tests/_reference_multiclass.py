"""High-precision references (mpmath) for the multi-class and loss-variant tests.

Multi-class: ``d_j = z_j − max z`` is formed exactly (``mp.fsub(..., exact=True)``), and every
quantity is then a sum of same-signed terms evaluated with ``PREC`` bits (≈ 96 decimal digits):

    log p_j = d_j − log1p(S),  S = Σ_{k≠argmax} e^(d_k);   1 − p_j = Σ_{k≠j} e^(d_k − lse).

With no cancellation left, ``PREC`` bits are ample even for logits of ±1e4; ``naive_log_softmax``
(the textbook ``z_j − log Σ e^(z_k)`` with enough bits to survive its cancellation) checks
these identities on a few rows.

Binary variants reuse ``_reference``'s σ, log σ, log(1 − σ) at ``_logit_bits(z)``; their
derivatives are the textbook product-rule forms (not celoss's rearranged ones), themselves
checked against ``mp.diff`` of the naive loss on a few points.

Every reference takes Python floats / ints (the exact values of the inputs) and returns mpf.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from mpmath import mp, mpf

from ._reference import GUARD_BITS, _logit_bits, _sigmoid_and_logs

PREC = GUARD_BITS + 64
PROB_PREC = GUARD_BITS + 1100  # (1 − ε)·t + ε/K exactly for every float64 t, ε


def _parts(z: Sequence[float]):
    """(d, lse − max, top): exact d_j = z_j − max z, and log Σ e^(d_k) = log1p(S)."""
    top = max(range(len(z)), key=lambda j: z[j])
    d = [mp.fsub(v, z[top], exact=True) for v in z]
    with mp.workprec(PREC):
        rest = mp.fsum(mp.exp(dj) for j, dj in enumerate(d) if j != top)
        return d, mp.log1p(rest), top


def log_softmax(z: Sequence[float]) -> list[mpf]:
    d, shift, _ = _parts(z)
    with mp.workprec(PREC):
        return [dj - shift for dj in d]


def softmax(z: Sequence[float]) -> list[mpf]:
    with mp.workprec(PREC):
        return [mp.exp(v) for v in log_softmax(z)]


def one_minus_softmax(z: Sequence[float]) -> list[mpf]:
    p = softmax(z)
    with mp.workprec(PREC):
        return [mp.fsum(pk for k, pk in enumerate(p) if k != j) for j in range(len(z))]


def naive_log_softmax(z: Sequence[float]) -> list[mpf]:
    """z_j − log Σ_k e^(z_k) with enough bits that the winner's ≈ −e^(−gap) keeps GUARD_BITS."""
    size = max(abs(v) for v in z) + 1.0
    bits = GUARD_BITS + 16 + math.ceil(math.log2(size) + (max(z) - min(z)) / math.log(2) + len(z))
    with mp.workprec(bits):
        lse = mp.log(mp.fsum(mp.exp(mpf(v)) for v in z))
        return [mpf(v) - lse for v in z]


def effective_target(target, k: int, weight=None, eps: float = 0.0) -> list[mpf]:
    """u_j = w_j · ((1 − ε)·t_j + ε/K) exactly; ``target`` is a label (int) or a row of floats."""
    with mp.workprec(PROB_PREC):
        row = [mpf(int(j == target)) for j in range(k)] if isinstance(target, int) else [mpf(t) for t in target]
        eps = mpf(eps)
        smoothed = [(1 - eps) * t + eps / k for t in row]
        return smoothed if weight is None else [mpf(w) * t for w, t in zip(weight, smoothed, strict=True)]


def cross_entropy(target, z: Sequence[float], weight=None, eps: float = 0.0) -> mpf:
    u = effective_target(target, len(z), weight, eps)
    log_p = log_softmax(z)
    with mp.workprec(PREC):
        return -mp.fsum(uj * lj for uj, lj in zip(u, log_p, strict=True) if uj != 0)


def cross_entropy_grad(target, z: Sequence[float], weight=None, eps: float = 0.0):
    """(gradient, scale): ∂ℓ/∂z_i = p_i·Σ_{j≠i}u_j − u_i(1 − p_i), the scale is the sum of both terms."""
    u = effective_target(target, len(z), weight, eps)
    p, q = softmax(z), one_minus_softmax(z)
    with mp.workprec(PREC):
        others = [mp.fsum(uj for j, uj in enumerate(u) if j != i) for i in range(len(z))]
        plus = [pi * oi for pi, oi in zip(p, others, strict=True)]
        minus = [ui * qi for ui, qi in zip(u, q, strict=True)]
        pairs = list(zip(plus, minus, strict=True))
        return [a - b for a, b in pairs], [a + b for a, b in pairs]


def cross_entropy_diff(target, z: Sequence[float], i: int, weight=None, eps: float = 0.0) -> mpf:
    """∂ℓ/∂z_i by mpmath's numerical differentiation of the naive loss (checks the derivation)."""
    u = effective_target(target, len(z), weight, eps)
    bits = 2 * (GUARD_BITS + 16 + math.ceil((max(z) - min(z)) / math.log(2)))

    def loss(x):
        zz = [mpf(v) for v in z]
        zz[i] = x
        lse = mp.log(mp.fsum(mp.exp(v) for v in zz))
        return mp.fsum(uj * (lse - zj) for uj, zj in zip(u, zz, strict=True))

    with mp.workprec(bits):
        return mp.diff(loss, mpf(z[i]))


# --- binary variants ----------------------------------------------------------------------------


def _weights(y, alpha):
    y = mpf(y)
    if alpha is None:
        return y, 1 - y
    return y * mpf(alpha), (1 - y) * (1 - mpf(alpha))


def weighted_bce_with_logits(y: float, z: float, pos_weight: float) -> mpf:
    _, log_p, log_q = _sigmoid_and_logs(z)
    with mp.workprec(_logit_bits(z) + PROB_PREC):
        y = mpf(y)
        return -(mpf(pos_weight) * y * log_p + (1 - y) * log_q)


def focal_loss(y: float, z: float, gamma: float, alpha=None) -> mpf:
    sig, log_p, log_q = _sigmoid_and_logs(z)
    with mp.workprec(_logit_bits(z) + PROB_PREC):
        w_pos, w_neg = _weights(y, alpha)
        gamma = mpf(gamma)
        pos = 0 if w_pos == 0 else w_pos * (1 - sig) ** gamma * log_p
        neg = 0 if w_neg == 0 else w_neg * sig**gamma * log_q
        return -(pos + neg)


def _naive_terms(x, gamma):
    """(−(1 − σ)^γ log σ, −σ^γ log(1 − σ)) at x, in the caller's precision."""
    sig = 1 / (1 + mp.exp(-x))
    return -((1 - sig) ** gamma) * mp.log(sig), -(sig**gamma) * mp.log(1 - sig)


@functools.cache
def _term_derivatives(z: float, gamma: float):
    """d/dz of both naive terms, differentiated by hand in the textbook form (s = σ, c = 1 − s):

    d/dz[c^γ(−log s)] = γ s c^γ log s − c^(γ+1),   d/dz[s^γ(−log c)] = s^(γ+1) − γ c s^γ log c.
    """
    sig, log_s, log_c = _sigmoid_and_logs(z)
    with mp.workprec(_logit_bits(z) + PROB_PREC):
        gamma, c = mpf(gamma), 1 - sig
        d_pos = gamma * sig * c**gamma * log_s - c ** (gamma + 1)
        d_neg = sig ** (gamma + 1) - gamma * c * sig**gamma * log_c
        return d_pos, d_neg


def term_derivatives_by_mp_diff(z: float, gamma: float):
    """The same two derivatives by mp.diff of the naive terms (checks the hand derivation)."""
    with mp.workprec(2 * _logit_bits(z) + PROB_PREC):
        gamma = mpf(gamma)
        return tuple(mp.diff(lambda x, i=i: _naive_terms(x, gamma)[i], mpf(z)) for i in (0, 1))


def _combine(w_pos, w_neg, derivatives):
    """(w₊·d₊ + w₋·d₋, |w₊·d₊| + |w₋·d₋|): the derivative and the size of its terms."""
    with mp.workprec(PROB_PREC + 2 * GUARD_BITS):
        terms = [w * d if w else mpf(0) for w, d in zip((w_pos, w_neg), derivatives, strict=True)]
        return terms[0] + terms[1], abs(terms[0]) + abs(terms[1])


@functools.cache
def focal_loss_grad(y: float, z: float, gamma: float, alpha=None):
    """(d/dz focal_loss, scale)."""
    with mp.workprec(PROB_PREC):
        w_pos, w_neg = _weights(y, alpha)
    return _combine(w_pos, w_neg, _term_derivatives(z, gamma))


@functools.cache
def weighted_bce_with_logits_grad(y: float, z: float, pos_weight: float):
    """(d/dz weighted_bce_with_logits, scale): the focal derivatives with γ = 0."""
    with mp.workprec(PROB_PREC):
        y = mpf(y)
        w_pos, w_neg = mpf(pos_weight) * y, 1 - y
    return _combine(w_pos, w_neg, _term_derivatives(z, 0.0))


def smooth_labels(y: float, eps: float, num_classes: int) -> mpf:
    with mp.workprec(PROB_PREC):
        eps = mpf(eps)
        return (1 - eps) * mpf(y) + eps / num_classes
