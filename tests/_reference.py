"""High-precision reference implementations (mpmath) and ulp measurement for the math tests.

The references use the *naive* textbook formulas on purpose, so they share no numerical trick
with celoss; instead the working precision is raised until the naive formula is exact to far
more than 60 digits:

* logit functions work with ``GUARD_BITS + |z|/ln 2`` bits, so that ``1 − σ(z) ≈ e^(−|z|)``
  still carries ``GUARD_BITS`` significant bits after the subtraction;
* probability functions work with ``PROB_BITS`` bits, enough to hold ``1 − p`` exactly for every
  float64 ``p`` in [0, 1] (subnormals included) and to survive the ``p log(p/q)`` cancellation.

Every reference takes Python floats (the exact values of the inputs) and returns an ``mpf``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from mpmath import mp, mpf

GUARD_BITS = 256  # ≈ 77 significant decimal digits after the worst cancellation
PROB_BITS = 1100 + GUARD_BITS  # 1 − p is exact: float64 bits reach down to 2**-1074


def _logit_bits(z: float) -> int:
    return GUARD_BITS + math.ceil(abs(z) / math.log(2))


@functools.cache
def _sigmoid_and_logs(z: float):
    """(σ(z), log σ(z), log(1 − σ(z))) computed naively at high precision."""
    with mp.workprec(_logit_bits(z)):
        sig = 1 / (1 + mp.exp(-mpf(z)))
        return sig, mp.log(sig), mp.log(1 - sig)


def _xlog(w, x):
    """w·log(x) with 0·log 0 = 0 (in the caller's precision)."""
    return mpf(0) if w == 0 else w * mp.log(x)


def sigmoid(z: float) -> mpf:
    return _sigmoid_and_logs(z)[0]


def log_sigmoid(z: float) -> mpf:
    return _sigmoid_and_logs(z)[1]


def mse(y: float, y_hat: float) -> mpf:
    with mp.workprec(PROB_BITS):
        return (mpf(y) - mpf(y_hat)) ** 2 / 2


def bce(y: float, y_hat: float) -> mpf:
    with mp.workprec(PROB_BITS):
        y, y_hat = mpf(y), mpf(y_hat)
        return -(_xlog(y, y_hat) + _xlog(1 - y, 1 - y_hat))


def bce_with_logits(y: float, z: float) -> mpf:
    _, log_p, log_q = _sigmoid_and_logs(z)
    with mp.workprec(_logit_bits(z)):
        y = mpf(y)
        return -((y * log_p if y else 0) + ((1 - y) * log_q if y != 1 else 0))


def bce_grad(y: float, z: float) -> mpf:
    with mp.workprec(_logit_bits(z)):
        return sigmoid(z) - mpf(y)


def mse_grad(y: float, z: float) -> mpf:
    with mp.workprec(_logit_bits(z)):
        sig = sigmoid(z)
        return (sig - mpf(y)) * sig * (1 - sig)


def soft_label_scale(y: float, z: float) -> mpf:
    """(1 − y)σ(z) + yσ(−z): the size of the terms of σ(z) − y, i.e. its condition."""
    with mp.workprec(_logit_bits(z)):
        y, sig = mpf(y), sigmoid(z)
        return (1 - y) * sig + y * (1 - sig)


def entropy(p: float) -> mpf:
    with mp.workprec(PROB_BITS):
        p = mpf(p)
        return -(_xlog(p, p) + _xlog(1 - p, 1 - p))


def kl_divergence(p: float, q: float) -> mpf:
    with mp.workprec(PROB_BITS):
        p, q = mpf(p), mpf(q)
        if (p > 0 and q == 0) or (p < 1 and q == 1):
            return mp.inf
        first = 0 if p == 0 else p * mp.log(p / q)
        second = 0 if p == 1 else (1 - p) * mp.log((1 - p) / (1 - q))
        return first + second


# ---------------------------------------------------------------------------------------------
# Measuring errors in ulp


def ulp(x, dtype) -> mpf:
    """Unit in the last place of |x| in ``dtype``, floored at smallest_normal·eps.

    The floor is the spacing of the subnormals: results that underflow are compared in
    absolute terms, as the rules ask.
    """
    info = np.finfo(dtype)
    floor = mpf(2) ** (info.minexp - info.nmant)
    if x == 0 or mp.isinf(x):
        return floor
    _, exponent = mp.frexp(abs(x))  # |x| = m·2**exponent, m in [1/2, 1)
    return max(mpf(2) ** (exponent - 1 - info.nmant), floor)


def ulp_error(got, ref, dtype, scale=None) -> float:
    """|got − ref| / ulp(max(|ref|, scale)) as a float; infinities must match exactly.

    ``scale`` is the size of the problem's terms where the result can cancel (soft labels);
    without it this is the plain relative error in ulp.
    """
    got = float(got)
    if math.isinf(got) or mp.isinf(ref):
        return 0.0 if got == ref else math.inf
    size = abs(ref) if scale is None else max(abs(ref), abs(scale))
    return float(abs(mpf(got) - ref) / ulp(size, dtype))


def max_ulp_error(got, reference, args, dtype, scale=None):
    """Largest ulp error of ``got`` (array) against ``reference(*args)`` elementwise.

    Returns ``(error, worst_args)`` so that a failing assertion names the input.
    """
    got = np.asarray(got)
    columns = [np.broadcast_to(np.asarray(a, dtype=np.float64), got.shape).ravel() for a in args]
    worst, worst_args = 0.0, None
    for value, column_values in zip(got.ravel(), zip(*columns, strict=True), strict=True):
        point = tuple(float(x) for x in column_values)
        size = None if scale is None else scale(*point)
        error = ulp_error(value, reference(*point), dtype, size)
        if error > worst or worst_args is None:
            worst, worst_args = error, point
    return worst, worst_args


# ---------------------------------------------------------------------------------------------
# Where the references are evaluated

_TAIL_LOGITS = (
    0.0, 5e-324, 1e-300, 1e-20, 1e-8, 0.5, 1.0, 2.0, 16.6, 36.7, 40.0, 184.0,
    700.0, 709.78, 710.0, 745.0, 745.2, 1000.0,
)
#: z in [−1000, 1000]: a coarse grid over the whole range, a dense one in the middle, and
#: the points where naive formulas break (σ rounds to 1 near 36.7, exp overflows near 710,
#: e^(−z) underflows near 745).
LOGITS = np.unique(
    np.concatenate(
        [
            np.linspace(-1000.0, 1000.0, 401),
            np.linspace(-50.0, 50.0, 1001),
            np.array(_TAIL_LOGITS),
            -np.array(_TAIL_LOGITS),
        ]
    )
)
#: hard labels, soft labels, and soft labels next to the ends of [0, 1].
LABELS = np.array([0.0, 1.0, 0.5, 0.3, 0.7, 0.1, 1e-10, 1.0 - 1e-10, 1e-300])
#: probabilities from subnormal to 1 − 2**-53, with the near-equal pair 0.3, 0.3 + 1e-9.
PROBABILITIES = np.unique(
    np.concatenate(
        [
            [0.0, 5e-324, 1e-310, 1e-300, 1e-200, 1e-20, 1e-9, 1e-3, 0.3 + 1e-9],
            np.linspace(0.0, 1.0, 21),
            [1.0 / 3.0, 2.0 / 3.0, 1.0 - 1e-9, 1.0 - 1e-16, 1.0 - 2.0**-53],
        ]
    )
)


def grid(dtype, *axes):
    """All combinations of the axes cast to ``dtype`` (duplicates after the cast removed)."""
    cast = [np.unique(np.asarray(axis, dtype=dtype)) for axis in axes]
    return [a.ravel() for a in np.meshgrid(*cast, indexing="ij")]


# the new names of the two gradients (the old ones stay as aliases in celoss)
bce_with_logits_grad = bce_grad
mse_with_logits_grad = mse_grad


def mse_with_logits(y: float, z: float) -> mpf:
    with mp.workprec(_logit_bits(z) + PROB_BITS):
        return (sigmoid(z) - mpf(y)) ** 2 / 2


def logit(p: float) -> mpf:
    """log(p / (1 − p)), naively at a precision that holds 1 − p exactly."""
    with mp.workprec(PROB_BITS):
        p = mpf(p)
        if p == 0:
            return -mp.inf
        if p == 1:
            return mp.inf
        return mp.log(p / (1 - p))
