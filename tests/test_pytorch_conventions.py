"""The features issue 11 adds for PyTorch users, against independent references.

References: mpmath at high precision (``_reference``), and PyTorch's documented formulas
re-derived in plain numpy here (``torch.nn.BCEWithLogitsLoss``, ``torch.nn.CrossEntropyLoss``:
weighted mean Σ w_{y_n} ℓ_n / Σ w_{y_n} over the samples whose label is not ``ignore_index``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

import celoss

from . import _reference as ref

ELEMENTWISE_LOSSES = [
    (celoss.mse, "y_hat"),
    (celoss.bce, "y_hat"),
    (celoss.bce_with_logits, "z"),
    (celoss.mse_with_logits, "z"),
    (celoss.weighted_bce_with_logits, "z"),
    (celoss.focal_loss, "z"),
]
ELEMENTWISE_GRADS = [
    (celoss.bce_with_logits_grad, celoss.bce_with_logits),
    (celoss.mse_with_logits_grad, celoss.mse_with_logits),
    (celoss.weighted_bce_with_logits_grad, celoss.weighted_bce_with_logits),
    (celoss.focal_loss_grad, celoss.focal_loss),
]


def _torch_bce_with_logits(y, z):
    """PyTorch's documented form: max(z, 0) − z·y + log(1 + e^(−|z|)) (BCEWithLogitsLoss)."""
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _naive_log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _torch_cross_entropy(labels, z, weight=None, ignore_index=None, reduction="none"):
    """PyTorch's documented CrossEntropyLoss for class indices, in numpy."""
    k = z.shape[-1]
    w = np.ones(k) if weight is None else np.asarray(weight, float)
    kept = np.ones(labels.shape, bool) if ignore_index is None else labels != ignore_index
    safe = np.where(kept, labels, 0)
    loss = -w[safe] * np.take_along_axis(_naive_log_softmax(z), safe[..., None], -1)[..., 0]
    loss = np.where(kept, loss, 0.0)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / np.where(kept, w[safe], 0.0).sum()


# --- reduction on the elementwise losses ------------------------------------------------------


@pytest.mark.parametrize(("loss", "second"), ELEMENTWISE_LOSSES, ids=lambda f: getattr(f, "__name__", ""))
@given(data=st.data())
@settings(max_examples=25)
def test_reductions_are_the_sum_and_the_mean_of_the_elementwise_losses(loss, second, data):
    n = data.draw(st.integers(1, 20))
    y = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    bound = 1.0 if second == "y_hat" else 30.0
    x = np.array(data.draw(st.lists(st.floats(0 if second == "y_hat" else -bound, bound), min_size=n, max_size=n)))
    each = loss(y, x)
    with np.errstate(invalid="ignore"):  # inf − inf when two losses are infinite
        assert loss(y, x, reduction="sum") == pytest.approx(each.sum(), rel=1e-14, nan_ok=True)
        assert loss(y, x, reduction="mean") == pytest.approx(each.sum() / n, rel=1e-14, nan_ok=True)
    assert type(loss(y, x, reduction="mean")) is np.float64


def test_bce_with_logits_mean_matches_pytorchs_formula():
    rng = np.random.default_rng(0)
    y, z = rng.random(1000), rng.normal(0, 4, 1000)
    want = _torch_bce_with_logits(y, z).mean()
    assert celoss.bce_with_logits(y, z, reduction="mean") == pytest.approx(want, rel=1e-13)
    assert celoss.bce_with_logits(y, z, reduction="sum") == pytest.approx(1000 * want, rel=1e-13)


@pytest.mark.parametrize(("grad", "loss"), ELEMENTWISE_GRADS, ids=lambda f: f.__name__)
def test_mean_gradient_is_the_derivative_of_the_mean_loss(grad, loss):
    y, z, h = np.array([0.0, 1.0, 0.3, 1.0]), np.array([-2.0, 0.5, 1.5, 4.0]), 1e-6
    g = grad(y, z, reduction="mean")
    for i in range(4):
        step = np.zeros(4)
        step[i] = h
        numeric = (loss(y, z + step, reduction="mean") - loss(y, z - step, reduction="mean")) / (2 * h)
        assert g[i] == pytest.approx(numeric, rel=1e-6, abs=1e-11)
    np.testing.assert_array_equal(grad(y, z, reduction="sum"), grad(y, z))


@pytest.mark.parametrize("func", [celoss.bce, celoss.cross_entropy_grad, celoss.focal_loss])
def test_unknown_reduction_is_refused(func):
    args = ([0, 1], [[0.0, 1.0], [1.0, 0.0]]) if func is celoss.cross_entropy_grad else (1.0, 0.5)
    with pytest.raises(ValueError, match=r"^reduction 必须是 'none'、'mean'、'sum' 之一"):
        func(*args, reduction="avg")


# --- cross_entropy: weighted mean, ignore_index ----------------------------------------------------


@settings(max_examples=40)
@given(
    data=st.data(),
    k=st.integers(2, 6),
    n=st.integers(1, 12),
    weighted=st.booleans(),
    reduction=st.sampled_from(["none", "sum", "mean"]),
)
def test_cross_entropy_matches_pytorchs_documented_formula(data, k, n, weighted, reduction):
    z = np.array(data.draw(st.lists(st.floats(-20, 20), min_size=n * k, max_size=n * k))).reshape(n, k)
    labels = np.array(data.draw(st.lists(st.integers(-1, k - 1), min_size=n, max_size=n)))
    if not (labels >= 0).any():
        labels[0] = 0
    weight = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=k, max_size=k))) if weighted else None
    got = celoss.cross_entropy(labels, z, weight=weight, ignore_index=-1, reduction=reduction)
    want = _torch_cross_entropy(labels, z, weight, ignore_index=-1, reduction=reduction)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)


def test_ignored_samples_have_zero_loss_and_gradient_and_leave_the_mean():
    z = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 0.0], [5.0, -5.0, 0.0]])
    labels = np.array([0, -100, 2])
    loss = celoss.cross_entropy(labels, z, ignore_index=-100)
    assert loss[1] == 0.0
    assert loss[0] == celoss.cross_entropy(0, z[0])
    assert loss[2] == celoss.cross_entropy(2, z[2])
    mean = celoss.cross_entropy(labels, z, ignore_index=-100, reduction="mean")
    assert mean == pytest.approx((loss[0] + loss[2]) / 2)
    grad = celoss.cross_entropy_grad(labels, z, ignore_index=-100, reduction="mean")
    np.testing.assert_array_equal(grad[1], 0.0)
    np.testing.assert_allclose(grad[[0, 2]], celoss.cross_entropy_grad([0, 2], z[[0, 2]]) / 2, rtol=1e-15)
    # every sample ignored: the mean is 0/0, NaN as in PyTorch
    assert np.isnan(celoss.cross_entropy([-100, -100], z[:2], ignore_index=-100, reduction="mean"))


def test_weighted_mean_gradient_is_the_derivative_of_the_weighted_mean():
    rng = np.random.default_rng(1)
    z, labels, w = rng.normal(size=(5, 4)), rng.integers(0, 4, 5), rng.uniform(0.5, 2.0, 4)
    g, h = celoss.cross_entropy_grad(labels, z, weight=w, reduction="mean"), 1e-6
    for i in range(4):
        step = np.zeros(4)
        step[i] = h
        up = celoss.cross_entropy(labels, z + step, weight=w, reduction="mean")
        down = celoss.cross_entropy(labels, z - step, weight=w, reduction="mean")
        np.testing.assert_allclose(g[:, i].sum(), (up - down) / (2 * h), rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "exception", "start"),
    [
        ({"ignore_index": 1.5}, TypeError, "ignore_index "),
        ({"ignore_index": True}, TypeError, "ignore_index "),
        ({"target": np.array([[0.5, 0.5, 0.0]]), "ignore_index": 0}, ValueError, "ignore_index "),
        ({"target": np.array([0, 5])}, ValueError, "target "),  # 5 is neither a class nor ignored
        ({"target": np.eye(3, dtype=int)}, ValueError, "target "),  # an integer one-hot matrix
    ],
)
def test_ignore_index_and_one_hot_integers_are_checked(kwargs, exception, start):
    args = {"target": np.array([0, -100]), "z": np.zeros((3, 3)), "ignore_index": -100} | kwargs
    if args["target"].shape == (2,):
        args["z"] = np.zeros((2, 3))
    with pytest.raises(exception) as excinfo:
        celoss.cross_entropy(**args)
    assert str(excinfo.value).startswith(start)


# --- -inf logits mark masked classes -------------------------------------------------------------


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=6), st.data())
def test_masked_classes_behave_as_if_removed(row, data):
    z = np.array(row)
    masked = data.draw(st.integers(0, len(row) - 1))
    z_masked = z.copy()
    z_masked[masked] = -np.inf
    kept = np.delete(z, masked)
    p = celoss.softmax(z_masked)
    assert p[masked] == 0.0
    # the same sums in another grouping: equal to a couple of roundings
    close = {"rtol": 4 * 2**-52, "atol": 1e-300}
    np.testing.assert_allclose(np.delete(p, masked), celoss.softmax(kept), **close)
    assert celoss.log_softmax(z_masked)[masked] == -np.inf
    np.testing.assert_allclose(np.delete(celoss.log_softmax(z_masked), masked), celoss.log_softmax(kept), **close)
    label = data.draw(st.integers(0, len(row) - 2))
    target = label if label < masked else label + 1
    np.testing.assert_allclose(celoss.cross_entropy(target, z_masked), celoss.cross_entropy(label, kept), **close)
    grad = celoss.cross_entropy_grad(target, z_masked)
    assert grad[masked] == 0.0
    np.testing.assert_allclose(
        np.delete(grad, masked), celoss.cross_entropy_grad(label, kept), rtol=8 * 2**-52, atol=4 * 2**-53
    )


def test_target_at_minus_infinity_gives_an_infinite_loss_and_a_finite_gradient():
    z = np.array([0.0, -np.inf, 1.0])
    with np.errstate(all="raise"):
        assert celoss.cross_entropy(1, z) == np.inf
        np.testing.assert_allclose(celoss.cross_entropy_grad(1, z), [celoss.softmax(z)[0], -1.0, celoss.softmax(z)[2]])


@pytest.mark.parametrize("func", [celoss.softmax, celoss.log_softmax, lambda z: celoss.cross_entropy(0, z)])
def test_plus_infinity_and_fully_masked_rows_are_refused(func):
    with pytest.raises(ValueError, match=r"^z 不能含 \+inf"):
        func(np.array([0.0, np.inf]))
    with pytest.raises(ValueError, match=r"^z 有一行全是 -inf"):
        func(np.array([[0.0, 1.0], [-np.inf, -np.inf]]))


# --- categorical entropy and KL divergence -----------------------------------------------------


def _mp_entropy(row):
    with mp.workprec(ref.PROB_BITS):
        return -mp.fsum(mpf(p) * mp.log(mpf(p)) for p in row if p)


def _mp_kl(p_row, q_row):
    """Σ_j [p_j log(p_j/q_j) − p_j + q_j]: the KL divergence plus Σq − Σp, which rounding leaves in the rows."""
    with mp.workprec(ref.PROB_BITS):
        terms = [
            (mpf(p) * mp.log(mpf(p) / mpf(q)) if p else 0) - mpf(p) + mpf(q)
            for p, q in zip(p_row, q_row, strict=True)
        ]
        return mp.fsum(terms)


def _rows(seed, n, k):
    """Rows summing to exactly 1 in floating point: the last entry is 1 − (sum of the others)."""
    rng = np.random.default_rng(seed)
    rows = rng.dirichlet(np.ones(k), n)
    rows[:, -1] = 0.0
    rows[:, -1] = 1.0 - rows.sum(axis=1)
    return rows[(rows >= 0).all(axis=1)]


@pytest.mark.parametrize("k", [2, 3, 7])
def test_categorical_entropy_against_mpmath(k):
    rows = np.concatenate([_rows(k, 40, k), np.eye(k), np.full((1, k), 1 / k)])
    got = celoss.entropy(rows, axis=1)
    assert got.shape == (len(rows),)
    error = max(ref.ulp_error(g, _mp_entropy(r), np.float64) for g, r in zip(got, rows, strict=True))
    assert error <= 4 * k


@pytest.mark.parametrize("delta", [1e-3, 1e-9, 1e-14])
def test_categorical_kl_divergence_near_p_equals_q_against_mpmath(delta):
    p = _rows(3, 30, 4)
    q = p.copy()
    q[:, 0] += delta * p[:, 0]
    q[:, 1] -= delta * p[:, 0]
    q = q[(q >= 0).all(axis=1)]
    p = p[: len(q)]
    got = celoss.kl_divergence(p, q, axis=-1)
    for g, a, b in zip(got, p, q, strict=True):
        want = _mp_kl(a, b)
        assert ref.ulp_error(g, want, np.float64) <= 8, (a, b)


def test_categorical_and_bernoulli_forms_agree_for_two_classes():
    p, q = np.array([0.75, 0.5, 0.625, 1.0]), np.array([0.5, 0.875, 0.625, 0.5])  # 1 − p exact
    rows_p, rows_q = np.stack([p, 1 - p], axis=-1), np.stack([q, 1 - q], axis=-1)
    np.testing.assert_allclose(celoss.entropy(rows_p, axis=-1), celoss.entropy(p), rtol=4e-16)
    np.testing.assert_allclose(celoss.kl_divergence(rows_q, rows_p, axis=-1), celoss.kl_divergence(q, p), rtol=1e-6)


def test_categorical_forms_check_their_rows():
    with pytest.raises(ValueError, match=r"^p 的每一行"):
        celoss.entropy([0.5, 0.6], axis=0)
    with pytest.raises(ValueError, match=r"^p 至少要有一维"):
        celoss.entropy(0.5, axis=0)
    with pytest.raises(ValueError, match=r"^q 的每一行"):
        celoss.kl_divergence([0.5, 0.5], [0.5, 0.6], axis=-1)


# --- logit and mse_with_logits -----------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logit_against_mpmath(dtype):
    (p,) = ref.grid(dtype, np.concatenate([ref.PROBABILITIES, [0.25, 0.2500001, 0.4999999, 0.5000001, 0.75]]))
    error, where = ref.max_ulp_error(celoss.logit(p), ref.logit, (p,), dtype)
    assert error <= (3.0 if dtype == np.float64 else 1.0), f"{error:.2f} ulp at p = {where}"


@given(st.floats(-700, 0))
def test_logit_inverts_sigmoid(z):
    # for z ≤ 0, σ(z) has a few ulp of relative error and logit is well conditioned there
    assert celoss.logit(celoss.sigmoid(z)) == pytest.approx(z, rel=1e-14, abs=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mse_with_logits_against_mpmath(dtype):
    y, z = ref.grid(dtype, ref.LABELS, ref.LOGITS[::4])
    scale = lambda a, b: ref.soft_label_scale(a, b) ** 2 / 2  # noqa: E731 - the size of its terms
    error, where = ref.max_ulp_error(celoss.mse_with_logits(y, z), ref.mse_with_logits, (y, z), dtype, scale)
    assert error <= (8.0 if dtype == np.float64 else 1.0), f"{error:.2f} ulp at (y, z) = {where}"


def test_old_gradient_names_give_the_same_results():
    y, z = np.array([0.0, 0.3, 1.0]), np.array([-40.0, 0.5, 40.0])
    for reduction in ("none", "mean", "sum"):
        np.testing.assert_array_equal(
            celoss.bce_grad(y, z, reduction=reduction), celoss.bce_with_logits_grad(y, z, reduction=reduction)
        )
        np.testing.assert_array_equal(
            celoss.mse_grad(y, z, reduction=reduction), celoss.mse_with_logits_grad(y, z, reduction=reduction)
        )
