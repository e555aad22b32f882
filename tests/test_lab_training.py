"""celoss.lab.training and celoss.lab.datasets: determinism, gradients vs central differences,
the confidently-wrong experiment, ``steps_to_accuracy`` edge cases and argument checking."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import celoss
from celoss.lab.datasets import two_blobs
from celoss.lab.training import (
    INITS,
    LOSSES,
    MODELS,
    Params,
    Run,
    RunGrid,
    accuracy,
    confidently_wrong,
    init_params,
    loss_gradient,
    loss_value,
    run_grid,
    steps_to_accuracy,
    train,
)


@pytest.fixture(scope="module")
def data():
    return two_blobs(np.random.default_rng(1), n=60)


@pytest.fixture(scope="module")
def grid():
    """The book's grid (same defaults as docs/training.md)."""
    return run_grid(np.random.default_rng(0))


def starts(data):
    """A few parameter sets per model: random, confidently wrong, and a moderately trained one."""
    X, y = data
    rng = np.random.default_rng(7)
    out = []
    for model in MODELS:
        p = init_params(rng, model, hidden=5)
        out += [p, confidently_wrong(p, X, y), confidently_wrong(p, X, y, margin=1.0)]
        big = {k: v * 3.0 + rng.normal(0, 0.5, np.shape(v)) for k, v in p.arrays().items()}
        out.append(Params(**big))
    return out


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_results_bit_for_bit():
    kwargs = {"steps": 40, "checkpoints": (0, 7, 40), "learning_rates": (0.3, 1.0)}
    a = run_grid(np.random.default_rng(123), **kwargs)
    b = run_grid(np.random.default_rng(123), **kwargs)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert len(a.runs) == len(b.runs) == 2 * 2 * 2 * 2
    def key(run):
        return run.model, run.init_label, run.learning_rate, run.loss

    for ra, rb in zip(a.runs, b.runs, strict=True):
        assert key(ra) == key(rb)
        np.testing.assert_array_equal(ra.loss_history, rb.loss_history)
        np.testing.assert_array_equal(ra.accuracy_history, rb.accuracy_history)
        assert sorted(ra.snapshots) == [0, 7, 40]
        for t in ra.snapshots:
            for k, v in ra.snapshots[t].arrays().items():
                np.testing.assert_array_equal(v, rb.snapshots[t].arrays()[k])


def test_different_seed_different_data():
    a, _ = two_blobs(np.random.default_rng(0), n=20)
    b, _ = two_blobs(np.random.default_rng(1), n=20)
    assert not np.array_equal(a, b)


def test_no_global_random_state_used():
    np.random.seed(0)  # noqa: NPY002 - the legacy global state is what must stay unused
    a = run_grid(np.random.default_rng(5), models=["mlp"], steps=3, checkpoints=[0])
    np.random.seed(99)  # noqa: NPY002
    b = run_grid(np.random.default_rng(5), models=["mlp"], steps=3, checkpoints=[0])
    np.testing.assert_array_equal(a.runs[-1].loss_history, b.runs[-1].loss_history)


def test_dataset_shape_balance_and_labels():
    X, y = two_blobs(np.random.default_rng(0), n=101)
    assert X.shape == (101, 2)
    assert X.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0}
    assert int((y == 1).sum()) == round(101 * 0.5) == 50
    # positive class centred on +centre = (1, 0.5)
    assert X[y == 1].mean(axis=0) @ np.array([1.0, 0.5]) > 0 > X[y == 0].mean(axis=0) @ np.array([1.0, 0.5])


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("loss", LOSSES)
def test_gradient_matches_central_differences(data, loss):
    X, y = data
    h = 1e-6
    for params in starts(data):
        grad = loss_gradient(params, X, y, loss).arrays()
        for name, param in params.arrays().items():
            value = np.asarray(param, dtype=np.float64)
            numeric = np.empty_like(value)
            for idx in np.ndindex(value.shape):
                plus, minus = value.copy(), value.copy()
                plus[idx] += h
                minus[idx] -= h
                up = loss_value(dataclasses.replace(params, **{name: plus}), X, y, loss)
                down = loss_value(dataclasses.replace(params, **{name: minus}), X, y, loss)
                numeric[idx] = (up - down) / (2 * h)
            # central differences: truncation ~h², rounding ~eps·L/h ≈ 1e-9 for losses up to ~5
            np.testing.assert_allclose(grad[name], numeric, rtol=1e-6, atol=5e-9,
                                       err_msg=f"{params.model} {loss} {name}")


def test_loss_value_is_the_mean_of_celoss_losses(data):
    X, y = data
    for params in starts(data):
        z = params.logits(X)
        assert loss_value(params, X, y, "mse") == pytest.approx(float(np.mean(celoss.mse(y, celoss.sigmoid(z)))),
                                                             rel=1e-14)
        assert loss_value(params, X, y, "bce") == pytest.approx(float(np.mean(celoss.bce_with_logits(y, z))),
                                                             rel=1e-14)


def test_output_gradient_differs_only_by_the_sigmoid_factor(data):
    """Logistic regression: the per-sample MSE factor is BCE's times σ(z)(1 − σ(z))."""
    X, y = data
    params = confidently_wrong(init_params(np.random.default_rng(3), "logistic"), X, y)
    z = params.logits(X)
    s = celoss.sigmoid(z)
    expected_mse = X.T @ ((s - y) * s * (1 - s)) / len(y)
    expected_bce = X.T @ (s - y) / len(y)
    np.testing.assert_allclose(loss_gradient(params, X, y, "mse").weights, expected_mse, rtol=1e-12)
    np.testing.assert_allclose(loss_gradient(params, X, y, "bce").weights, expected_bce, rtol=1e-12)


@pytest.mark.parametrize("loss", LOSSES)
def test_train_steps_are_gradient_descent(data, loss):
    X, y = data
    for params in starts(data):
        run = train(params, X, y, loss=loss, learning_rate=0.7, steps=2, checkpoints=[0, 1, 2])
        assert run.snapshots[0].arrays().keys() == params.arrays().keys()
        expected = params
        for t in (1, 2):
            expected = expected.step(loss_gradient(expected, X, y, loss), 0.7)
            for k, v in expected.arrays().items():
                np.testing.assert_allclose(run.snapshots[t].arrays()[k], v, rtol=1e-13, atol=1e-15)
        assert run.loss_history[2] == pytest.approx(loss_value(expected, X, y, loss), rel=1e-13)
        assert run.accuracy_history[2] == accuracy(expected, X, y)


def test_grid_runs_equal_single_runs(grid):
    """run_grid trains several learning rates at once; each run is the same as a lone ``train``."""
    X, y = grid.X, grid.y
    for run in grid.runs[::5]:
        start = run.snapshots[0]
        alone = train(start, X, y, loss=run.loss, learning_rate=run.learning_rate, steps=grid.steps)
        np.testing.assert_allclose(alone.loss_history, run.loss_history, rtol=1e-10)
        np.testing.assert_array_equal(alone.accuracy_history, run.accuracy_history)


# --------------------------------------------------------------------------- the experiment


def test_same_start_for_every_loss_and_learning_rate(grid):
    for model in grid.models:
        for init in grid.inits:
            first = grid.get(model, init, grid.learning_rates[0], "mse").snapshots[0].arrays()
            for rate in grid.learning_rates:
                for loss in grid.losses:
                    other = grid.get(model, init, rate, loss).snapshots[0].arrays()
                    for k in first:
                        np.testing.assert_array_equal(first[k], other[k])


def test_confidently_wrong_start(grid):
    X, y = grid.X, grid.y
    for model in grid.models:
        start = grid.get(model, "confident_wrong", 0.5, "bce").snapshots[0]
        random = grid.get(model, "random", 0.5, "bce").snapshots[0]
        assert accuracy(start, X, y) < 0.1
        assert float(np.median(np.abs(start.logits(X)))) == pytest.approx(5.0)
        if model == "mlp":  # same hidden layer, new output layer
            np.testing.assert_array_equal(start.hidden_weights, random.hidden_weights)
        # confident: the typical wrong prediction is within σ(-5) of the wrong end
        p = start.predict_proba(X)
        wrong = (p > 0.5) != (y == 1)
        assert np.median(np.minimum(p, 1 - p)[wrong]) < 0.01


def test_bce_reaches_target_faster_when_confidently_wrong(grid):
    for model in grid.models:
        for rate in grid.learning_rates:
            mse = steps_to_accuracy(grid.get(model, "confident_wrong", rate, "mse"), 0.9)
            bce = steps_to_accuracy(grid.get(model, "confident_wrong", rate, "bce"), 0.9)
            assert bce is not None
            assert mse is None or bce < mse, (model, rate, mse, bce)
    # the headline numbers of the chapter: a stall of hundreds of steps against about ten
    mse = steps_to_accuracy(grid.get("logistic", "confident_wrong", 0.5, "mse"), 0.9)
    bce = steps_to_accuracy(grid.get("logistic", "confident_wrong", 0.5, "bce"), 0.9)
    assert mse > 10 * bce
    assert steps_to_accuracy(grid.get("logistic", "confident_wrong", 0.1, "mse"), 0.9) is None


def test_both_losses_end_near_the_linear_limit(grid):
    """Every run but the stalled one ends at 90–97 %: the losses differ in speed, not in the end."""
    for run in grid.runs:
        if steps_to_accuracy(run, 0.9) is not None:
            assert 0.9 <= run.accuracy_history[-1] <= 0.97
        else:
            key = (run.model, run.init_label, run.learning_rate, run.loss)
            assert key == ("logistic", "confident_wrong", 0.1, "mse")


def test_random_start_mse_is_slower_but_gets_there(grid):
    for model in grid.models:
        for rate in grid.learning_rates:
            mse = steps_to_accuracy(grid.get(model, "random", rate, "mse"), 0.9)
            bce = steps_to_accuracy(grid.get(model, "random", rate, "bce"), 0.9)
            assert mse is not None
            assert bce is not None
            assert bce <= mse


def test_extreme_confidence_trains_without_warnings(data):
    """pytest turns numpy warnings into errors: |z| ≈ 800 must not overflow anywhere."""
    X, y = data
    for model in MODELS:
        start = confidently_wrong(init_params(np.random.default_rng(0), model), X, y, margin=800.0)
        for loss in LOSSES:
            run = train(start, X, y, loss=loss, learning_rate=0.5, steps=5, checkpoints=[5])
            assert np.isfinite(run.loss_history).all()
            assert all(np.isfinite(v).all() for v in run.snapshots[5].arrays().values())
        assert np.isfinite(loss_value(start, X, y, "bce"))
        assert loss_value(start, X, y, "bce") > 100


# --------------------------------------------------------------------------- results are immutable


def test_results_are_frozen(grid):
    run = grid.runs[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.loss = "bce"
    with pytest.raises(ValueError, match="read-only"):
        run.loss_history[0] = 1.0
    with pytest.raises(TypeError):
        run.snapshots[3] = run.snapshots[0]
    with pytest.raises(ValueError, match="read-only"):
        run.snapshots[0].weights[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        grid.X[0, 0] = 1.0
    assert isinstance(grid, RunGrid)
    assert isinstance(run, Run)


def test_grid_lookup_and_table(grid):
    assert grid.steps == 500
    assert grid.get("mlp", "random", 2, "bce").learning_rate == 2.0
    with pytest.raises(KeyError):
        grid.get("mlp", "random", 0.3, "bce")
    table = grid.steps_table(0.9).splitlines()
    assert len(table) == 2 + len(grid.models) * len(grid.inits) * len(grid.learning_rates)
    assert table[0].startswith("| 模型 |")
    assert "| 逻辑回归 | 自信地错 | 0.1 | 未达到 |" in "\n".join(table)


# --------------------------------------------------------------------------- steps_to_accuracy


@pytest.mark.parametrize(
    ("history", "target", "expected"),
    [
        ([0.5, 0.8, 0.92, 0.88, 0.95], 0.9, 2),
        ([0.5, 0.9, 0.95], 0.9, 1),  # reaching the target exactly counts
        ([0.95, 0.5], 0.9, 0),  # already there before training
        ([0.5, 0.6], 0.9, None),  # never
        ([0.2], 0.0, 0),
        ([0.2, 1.0], 1.0, 1),
        ([0.3], 0.5, None),
        (np.array([0.1, 0.95], dtype=np.float32), 0.9, 1),
    ],
)
def test_steps_to_accuracy(history, target, expected):
    assert steps_to_accuracy(history, target) == expected


def test_steps_to_accuracy_takes_a_run(grid):
    run = grid.get("logistic", "confident_wrong", 0.5, "bce")
    assert steps_to_accuracy(run, 0.9) == steps_to_accuracy(run.accuracy_history, 0.9)
    assert isinstance(steps_to_accuracy(run), int)


@pytest.mark.parametrize(
    ("history", "target", "error", "words"),
    [
        ([], 0.9, ValueError, "history"),
        ([[0.5, 0.9]], 0.9, ValueError, "history"),
        ([0.5, float("nan")], 0.9, ValueError, "history"),
        ([0.5, 1.2], 0.9, ValueError, "history"),
        ("abc", 0.9, TypeError, "history"),
        ([0.5], 1.5, ValueError, "target"),
        ([0.5], -0.1, ValueError, "target"),
        ([0.5], [0.5, 0.6], ValueError, "target"),
        ([0.5], None, TypeError, "target"),
    ],
)
def test_steps_to_accuracy_rejects_bad_input(history, target, error, words):
    with pytest.raises(error, match=words):
        steps_to_accuracy(history, target)


# --------------------------------------------------------------------------- argument checks


def test_bad_arguments_have_chinese_messages_naming_the_argument(data):
    X, y = data
    p = init_params(np.random.default_rng(0), "logistic")
    cases = [
        (lambda: two_blobs(0), TypeError, "rng 必须是 numpy.random.Generator"),
        (lambda: two_blobs(np.random.default_rng(0), n=1), ValueError, "n 必须是不小于 2 的整数"),
        (lambda: two_blobs(np.random.default_rng(0), n=2.5), TypeError, "n 必须是整数"),
        (lambda: two_blobs(np.random.default_rng(0), n=True), TypeError, "n 必须是整数"),
        (lambda: two_blobs(np.random.default_rng(0), noise=0), ValueError, "noise 必须在"),
        (lambda: init_params(np.random.default_rng(0), "cnn"), ValueError, "model 必须是 'logistic'、'mlp' 之一"),
        (lambda: init_params(np.random.default_rng(0), "mlp", hidden=0), ValueError, "hidden"),
        (lambda: confidently_wrong(p, X, y, margin=-1), ValueError, "margin 必须是正数"),
        (lambda: confidently_wrong("p", X, y), TypeError, "params 必须是"),
        (lambda: loss_value(p, X, y, "hinge"), ValueError, "loss 必须是 'mse'、'bce' 之一"),
        (lambda: loss_gradient(p, X, y, None), ValueError, "loss"),
        (lambda: loss_value(p, X[:, :1], y, "mse"), ValueError, "X 的特征数（列数）必须与 params 一致"),
        (lambda: loss_value(p, X[0], y, "mse"), ValueError, "X 必须是形状为"),
        (lambda: loss_value(p, X, y[:-1], "mse"), ValueError, "y 必须是长度为"),
        (lambda: loss_value(p, X, y * 0.5, "mse"), ValueError, "y 必须是 0/1 标签"),
        (lambda: loss_value(p, X, y * 2, "mse"), ValueError, r"y 必须在 \[0, 1\] 区间内"),
        (lambda: loss_value(p, np.where(X > 0, np.nan, X), y, "mse"), ValueError, "X 不能包含 NaN"),
        (lambda: loss_value(p, np.full_like(X, np.inf), y, "mse"), ValueError, "X 必须是有限实数"),
        (lambda: loss_value(p, "X", y, "mse"), TypeError, "X 必须是实数"),
        (lambda: accuracy(p, X, y.astype(str)), TypeError, "y 必须是实数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0, steps=1), ValueError, "learning_rate 必须是正数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=-1, steps=1), ValueError, "learning_rate 必须是正数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=np.inf, steps=1), ValueError, "learning_rate 必须是有限"),
        (lambda: train(p, X, y, loss="mse", learning_rate=np.nan, steps=1), ValueError, "learning_rate 不能包含 NaN"),
        (lambda: train(p, X, y, loss="mse", learning_rate=[0.1, 0.2], steps=1), ValueError,
         "learning_rate 必须是一个数"),
        (lambda: train(p, X, y, loss="mse", learning_rate="0.1", steps=1), TypeError, "learning_rate 必须是实数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0.1, steps=-1), ValueError, "steps 必须是不小于 0 的整数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0.1, steps=1.0), TypeError, "steps 必须是整数"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0.1, steps=5, checkpoints=[6]), ValueError,
         r"checkpoints 中的步数必须在 \[0, 5\] 内"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0.1, steps=5, checkpoints=5), TypeError,
         "checkpoints 必须是整数序列"),
        (lambda: train(p, X, y, loss="mse", learning_rate=0.1, steps=5, init_label=3), TypeError,
         "init_label 必须是字符串"),
        (lambda: run_grid(np.random.default_rng(0), models=[]), ValueError, "models 必须非空且没有重复"),
        (lambda: run_grid(np.random.default_rng(0), losses=["mse", "mse"]), ValueError, "losses 必须非空且没有重复"),
        (lambda: run_grid(np.random.default_rng(0), inits=["zeros"]), ValueError, "inits 中的元素 必须是"),
        (lambda: run_grid(np.random.default_rng(0), learning_rates=[0.1, 0.1]), ValueError, "learning_rates 必须"),
        (lambda: run_grid(np.random.default_rng(0), learning_rates=[0.0]), ValueError, "learning_rates 中的学习率"),
        (lambda: run_grid(np.random.default_rng(0), steps=10, checkpoints=[20]), ValueError, "checkpoints"),
        (lambda: run_grid(np.random.default_rng(0), margin=0), ValueError, "margin 必须是正数"),
        (lambda: run_grid(None), TypeError, "rng"),
        (lambda: Params(weights=[1.0], bias=0.0, hidden_weights=np.ones((2, 3))), ValueError,
         "hidden_weights 与 hidden_bias 必须同时给出"),
        (lambda: Params(weights=[1.0, 2.0], bias=0.0, hidden_weights=np.ones((2, 3)), hidden_bias=np.ones(3)),
         ValueError, "MLP 参数形状不一致"),
        (lambda: Params(weights=np.ones((2, 2)), bias=0.0), ValueError, "weights 必须是一维数组"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def test_names_are_the_documented_ones():
    assert MODELS == ("logistic", "mlp")
    assert INITS == ("random", "confident_wrong")
    assert tuple(LOSSES) == ("mse", "bce")


# --------------------------------------------------------------------------- the fair race (learning-rate sweep)

from celoss.lab.training import ADAM_RATES, SWEEP_RATES, Sweep, gradient_shares, learning_rate_sweep  # noqa: E402


@pytest.fixture(scope="module", params=["gd", "adam"])
def sweep(request):
    rates = (0.3, 3.0, 30.0, 300.0) if request.param == "gd" else (0.003, 0.03, 0.3, 3.0)
    return learning_rate_sweep((0, 1, 2), learning_rates=rates, steps=150, optimizer=request.param)


def test_sweep_best_rate_is_the_argmin_over_the_grid(sweep):
    for model in sweep.models:
        for init in sweep.inits:
            for loss in sweep.losses:
                median = np.median(sweep.settled[sweep.models.index(model), sweep.inits.index(init),
                                                 sweep.losses.index(loss)], axis=-1)
                best = sweep.best_rate(model, init, loss)
                assert median[sweep.learning_rates.index(best)] == median.min()
                # ties go to the smallest rate: no smaller rate reaches the minimum
                assert all(m > median.min() for r, m in zip(sweep.learning_rates, median, strict=True) if r < best)
                capped = sweep.best_rate(model, init, loss, max_rate=3.0)
                assert capped <= 3.0


def test_sweep_is_seeded_and_deterministic(sweep):
    again = learning_rate_sweep((0, 1, 2), learning_rates=sweep.learning_rates, steps=150, optimizer=sweep.optimizer)
    np.testing.assert_array_equal(sweep.settled, again.settled)
    np.testing.assert_array_equal(sweep.final_loss, again.final_loss)
    other = learning_rate_sweep((3, 4, 5), learning_rates=sweep.learning_rates, steps=150, optimizer=sweep.optimizer)
    assert not np.array_equal(sweep.final_loss, other.final_loss)


def test_sweep_rows_match_single_runs(sweep):
    """The stacked trainer gives the same summary as one train() call on the same seed's data and start."""
    rng = np.random.default_rng(1)
    X, y = two_blobs(rng, 200)
    start = init_params(rng, "logistic")
    wrong = confidently_wrong(start, X, y)
    rate = sweep.learning_rates[1]
    run = train(wrong, X, y, loss="mse", learning_rate=rate, steps=150, optimizer=sweep.optimizer)
    below = np.flatnonzero(run.accuracy_history < 0.9)
    expected = 0 if below.size == 0 else (np.inf if below[-1] == 150 else below[-1] + 1)
    got = sweep.settled[0, sweep.inits.index("confident_wrong"), sweep.losses.index("mse"), 1, 1]
    assert got == expected
    assert sweep.final_loss[0, 1, 0, 1, 1] == pytest.approx(run.loss_history[-1], rel=1e-12)


def test_sweep_reports_the_gap_and_renders(sweep):
    gap = sweep.gap("logistic", "confident_wrong")
    assert gap == sweep.best_steps("logistic", "confident_wrong", "mse") / sweep.best_steps(
        "logistic", "confident_wrong", "bce")
    assert str(sweep).splitlines()[0].split()[0] == "模型"
    assert sweep.table().count("\n") == 1 + len(sweep.models) * len(sweep.inits) * len(sweep.losses)
    assert 'data-kind="sweep"' in sweep._repr_html_()


def test_gd_sweep_confident_wrong_mse_needs_a_larger_rate():
    """With plain gradient descent, MSE's best η from the confidently-wrong start is larger than BCE's."""
    s = learning_rate_sweep((0, 1), models=["logistic"], inits=["confident_wrong"], steps=300)
    assert s.best_rate("logistic", "confident_wrong", "mse") > s.best_rate("logistic", "confident_wrong", "bce")
    assert s.gap("logistic", "confident_wrong", max_rate=10.0) > 5


def test_sweep_rejects_bad_input():
    with pytest.raises(ValueError, match="learning_rates"):
        learning_rate_sweep((0,), learning_rates=(1.0, 0.5))
    with pytest.raises(ValueError, match="seeds"):
        learning_rate_sweep(())
    with pytest.raises(ValueError, match="optimizer"):
        learning_rate_sweep((0,), optimizer="sgd")
    assert tuple(sorted(SWEEP_RATES)) == SWEEP_RATES
    assert tuple(sorted(ADAM_RATES)) == ADAM_RATES
    assert isinstance(learning_rate_sweep((0,), models=["logistic"], learning_rates=[1.0], steps=2), Sweep)


def test_gradient_shares_are_invariant_to_a_common_scale():
    y, z = np.ones(10), np.r_[np.zeros(9), -8.0]
    shares = gradient_shares(y, z)
    for values in shares.values():
        assert values.sum() == pytest.approx(1.0)
    mse_grad = celoss.mse_grad(y, z)
    assert shares["mse"][-1] == pytest.approx(abs(mse_grad[-1]) / np.abs(mse_grad).sum())
    assert shares["mse"][-1] < 1e-3
    assert shares["bce"][-1] > 0.1
