"""多线程计算（``CELOSS_NUM_THREADS``）：结果与单线程逐位相同，不发警告，坏输入照样被拒绝。

``MIN_TASK`` 调小以后，几千个元素的数组也会分给几个线程，块与段的边界（``CHUNK``、按行分块的
``step``、段长）就能用小数组逐一跨过；另有几个按默认门槛真正分线程的大小。按行分块时多线程用更大的块
（``_ROW_CHUNK_THREADED``），所以这里的比较也检验了「结果与分块方式无关」。
"""

from __future__ import annotations

import itertools
import threading
import warnings

import numpy as np
import pytest

import celoss
from celoss import _kernels
from celoss.multiclass import cross_entropy, cross_entropy_grad, log_softmax, softmax

CHUNK = _kernels.CHUNK
#: 跨过 CHUNK 与线程门槛的长度（元素数）
LENGTHS = [1, 7, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5, 2 * _kernels.MIN_TASK - 1, 2 * _kernels.MIN_TASK + 3]


def _logits(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """正态分布的 logit 混上 [-1000, 1000] 内均匀分布的，覆盖精度测试的整个范围。"""
    z = rng.normal(0, 5, shape)
    wide = rng.random(shape) < 0.2
    z[wide] = rng.uniform(-1000, 1000, np.count_nonzero(wide))
    return z


def _same_bits(a, b) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype
    assert a.shape == b.shape
    assert a.tobytes() == b.tobytes()


def _serial_and_threaded(monkeypatch, fn, threads=(2, 3, 8)):
    """fn() 在单线程与几种线程数下逐位相同；``MIN_TASK`` 调小，小数组也分线程；按行分块的核心也开线程。
    不许有警告。"""
    monkeypatch.setattr(_kernels, "MIN_TASK", 512)
    monkeypatch.setattr(_kernels, "ROW_THREADS", True)  # 默认不开，但开了也必须逐位相同
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        monkeypatch.setenv("CELOSS_NUM_THREADS", "1")
        serial = fn()
        for n in threads:
            monkeypatch.setenv("CELOSS_NUM_THREADS", str(n))
            _same_bits(fn(), serial)
    return serial


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bce_with_logits_hard_and_soft(monkeypatch, n, dtype):
    rng = np.random.default_rng(n)
    z = _logits(rng, (n,)).astype(dtype)
    z[:: max(1, n // 5)] = np.inf  # ±inf 的 logit 取极限
    z[1 :: max(1, n // 3)] = -np.inf
    hard = (rng.random(n) < 0.5).astype(dtype)
    soft = rng.random(n).astype(dtype)
    for y in (hard, soft):
        serial = _serial_and_threaded(monkeypatch, lambda y=y: celoss.bce_with_logits(y, z))
        assert serial.dtype == dtype
        assert np.all(serial >= 0)
        for reduction in ("mean", "sum"):
            _serial_and_threaded(monkeypatch, lambda y=y, r=reduction: celoss.bce_with_logits(y, z, reduction=r))


def test_bce_with_logits_hard_path_matches_general_kernel(monkeypatch):
    """硬标签的捷径与通用核心逐位相同，多线程时也一样。"""
    rng = np.random.default_rng(1)
    n = 5 * CHUNK + 11
    z = _logits(rng, (n,))
    y = (rng.random(n) < 0.5).astype(np.float64)
    monkeypatch.setattr(_kernels, "MIN_TASK", 512)
    monkeypatch.setenv("CELOSS_NUM_THREADS", "4")
    _same_bits(_kernels.bce_with_logits_hard(y, z), _kernels.bce_with_logits(y, z))


@pytest.mark.parametrize("y", [1, 0.25, [0.0, 1.0]])
def test_bce_with_logits_broadcast_labels(monkeypatch, y):
    """标量标签（步长为 0 的广播）与一行标签广播到多行：不复制也逐位相同。"""
    z = _logits(np.random.default_rng(2), (3 * CHUNK + 1, 2))
    _serial_and_threaded(monkeypatch, lambda: celoss.bce_with_logits(y, z))
    _serial_and_threaded(monkeypatch, lambda: celoss.bce_with_logits(y, z.T.copy().T))  # 非连续的 z


def _masked_logits(rng, shape, axis=-1):
    z = _logits(rng, shape)
    masked = rng.random(shape) < 0.15
    z[masked] = -np.inf
    first = [slice(None)] * len(shape)
    first[axis] = 0
    z[tuple(first)] = rng.normal(0, 5, z[tuple(first)].shape)  # 每行至少一个有限值
    return z


@pytest.mark.parametrize("k", [1, 2, 3, 10, 11, 1000, 20_000])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cross_entropy_labels(monkeypatch, k, dtype):
    rng = np.random.default_rng(k)
    rows = max(3, (2 * _kernels._ROW_CHUNK_THREADED) // k + 7)  # 单线程与多线程时都是好几块，最后一块不满
    z = _masked_logits(rng, (rows, k)).astype(dtype)
    labels = rng.integers(0, k, rows)
    labels[::7] = -100
    weight = rng.uniform(0, 3, k)
    serial = _serial_and_threaded(monkeypatch, lambda: cross_entropy(labels % k, z))
    assert serial.dtype == dtype
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(labels, z, ignore_index=-100, weight=weight))
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(labels, z, ignore_index=-100, reduction="mean"))
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(labels % k, z, label_smoothing=0.1))


@pytest.mark.parametrize("k", [2, 10, 37])
def test_cross_entropy_probability_rows_softmax_and_grad(monkeypatch, k):
    rng = np.random.default_rng(k)
    rows = 2 * _kernels._ROW_CHUNK_THREADED // k + 5
    z = _masked_logits(rng, (rows, k))
    t = rng.random((rows, k))
    t[np.isneginf(z)] = 0.0  # 目标不落在被屏蔽的类别上（否则损失是 inf，也照样比较）
    t /= t.sum(axis=-1, keepdims=True)
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(t, z))
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(t, z, weight=np.linspace(0.5, 2, k), reduction="sum"))
    _serial_and_threaded(monkeypatch, lambda: softmax(z))
    _serial_and_threaded(monkeypatch, lambda: log_softmax(z))
    _serial_and_threaded(monkeypatch, lambda: cross_entropy_grad(t, z))


def test_odd_shapes_and_class_axis(monkeypatch):
    """类别轴在中间、批次是多维的：按行分块前的整形与线程无关。"""
    rng = np.random.default_rng(3)
    z = _masked_logits(rng, (7, 5, 613, 3), axis=1)
    labels = rng.integers(0, 5, (7, 613, 3))
    _serial_and_threaded(monkeypatch, lambda: cross_entropy(labels, z, axis=1))
    _serial_and_threaded(monkeypatch, lambda: softmax(z, axis=1))
    _serial_and_threaded(monkeypatch, lambda: log_softmax(np.float32(z), axis=1))


def test_default_threshold_really_uses_threads(monkeypatch):
    """默认门槛下，够大的数组真的分给了线程池（否则上面的比较什么也没测）。"""
    monkeypatch.setenv("CELOSS_NUM_THREADS", "2")
    names: set[str] = set()
    spans: list[tuple[int, int]] = []
    lock = threading.Lock()

    def task(start, stop):
        with lock:
            names.add(threading.current_thread().name)
            spans.append((start, stop))
        return stop - start

    n = 2 * _kernels.MIN_TASK + 5
    assert sum(_kernels.run_blocks(n, CHUNK, task)) == n
    assert all(name.startswith("celoss") for name in names)
    spans.sort()
    assert len(spans) >= 2
    assert spans[0][0] == 0
    assert spans[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))  # 不重叠、不遗漏
    assert all(start % CHUNK == 0 for start, _ in spans)  # 段从块的边界开始
    spans.clear()
    assert _kernels.run_blocks(2 * _kernels.MIN_TASK - 1, CHUNK, task) == [2 * _kernels.MIN_TASK - 1]  # 门槛以下不分


def test_threaded_default_size_bit_identical(monkeypatch):
    """不调门槛：10⁵ 行 × 10 类、10⁶ 个元素，默认线程数与单线程逐位相同。"""
    rng = np.random.default_rng(4)
    z = _masked_logits(rng, (100_000, 10))
    labels = rng.integers(0, 10, 100_000)
    y = (rng.random(1_000_000) < 0.5).astype(np.float64)
    monkeypatch.setattr(_kernels, "ROW_THREADS", True)
    monkeypatch.setenv("CELOSS_NUM_THREADS", "1")
    serial = cross_entropy(labels, z), celoss.bce_with_logits(y, z.reshape(-1))
    monkeypatch.delenv("CELOSS_NUM_THREADS")
    assert _kernels.num_threads() >= 1
    monkeypatch.setenv("CELOSS_NUM_THREADS", "2")
    threaded = cross_entropy(labels, z), celoss.bce_with_logits(y, z.reshape(-1))
    for a, b in zip(serial, threaded, strict=True):
        _same_bits(a, b)


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_bad_thread_count_is_refused(monkeypatch, value):
    monkeypatch.setenv("CELOSS_NUM_THREADS", value)
    with pytest.raises(ValueError, match="CELOSS_NUM_THREADS 必须是正整数"):
        _kernels.num_threads()


def test_thread_count_from_environment(monkeypatch):
    monkeypatch.setenv("CELOSS_NUM_THREADS", " 3 ")
    assert _kernels.num_threads() == 3
    monkeypatch.delenv("CELOSS_NUM_THREADS")
    assert 1 <= _kernels.num_threads() <= _kernels.MAX_THREADS


@pytest.mark.parametrize("where", [0, CHUNK, 2 * _kernels.MIN_TASK + 1])
def test_bad_input_still_refused_with_threads(monkeypatch, where):
    """分段的检查照样找到坏值：NaN、越界的标签、+inf 与全是 -inf 的行，信息不变。"""
    monkeypatch.setenv("CELOSS_NUM_THREADS", "4")
    n = 2 * _kernels.MIN_TASK + 2
    y = np.ones(n)
    z = np.zeros(n)
    y[where] = 1.5
    with pytest.raises(ValueError, match=r"y 必须在 \[0, 1\] 区间内，收到 1.5"):
        celoss.bce_with_logits(y, z)
    y[where] = np.nan
    with pytest.raises(ValueError, match="y 不能包含 NaN"):
        celoss.bce_with_logits(y, z)
    y[where] = 1.0
    z[where] = np.nan
    with pytest.raises(ValueError, match="z 不能包含 NaN"):
        celoss.bce_with_logits(y, z)
    rows = z.reshape(-1, 2).copy()
    rows[where // 2] = np.nan
    with pytest.raises(ValueError, match="z 不能包含 NaN"):
        cross_entropy(np.zeros(rows.shape[0], int), rows)
    rows[where // 2] = [np.inf, 0.0]
    with pytest.raises(ValueError, match=r"z 不能含 \+inf"):
        cross_entropy(np.zeros(rows.shape[0], int), rows)
    rows[where // 2] = -np.inf
    with pytest.raises(ValueError, match="z 有一行全是 -inf"):
        cross_entropy(np.zeros(rows.shape[0], int), rows)


def test_soft_labels_found_in_any_segment(monkeypatch):
    """硬标签的判断分段进行：一个 0.5 落在哪一段都会让结果走通用核心（两者的值不同时能看出来）。"""
    monkeypatch.setenv("CELOSS_NUM_THREADS", "3")
    n = 2 * _kernels.MIN_TASK + 9
    z = np.linspace(-30, 30, n)
    for where in (0, n // 2, n - 1):
        y = np.ones(n)
        y[where] = 0.5
        assert not celoss._checks.is_hard(y)
        loss = celoss.bce_with_logits(y, z)
        assert loss[where] == pytest.approx(celoss.bce_with_logits(0.5, z[where]), rel=1e-15)
    assert celoss._checks.is_hard(np.ones(n))


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="fork 只在 POSIX 上有")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # Python ≥ 3.12
def test_pool_survives_fork(monkeypatch):
    """父进程用过线程池以后 fork：子进程里没有池中的线程，celoss 重建线程池而不是卡住。"""
    import multiprocessing

    monkeypatch.setenv("CELOSS_NUM_THREADS", "2")
    z = np.linspace(-50, 50, 2 * _kernels.MIN_TASK + 1)
    expected = celoss.bce_with_logits(1, z)  # 父进程建好线程池
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(celoss.bce_with_logits, (1, z)).get(timeout=60)
    _same_bits(got, expected)


def test_row_kernels_are_serial_by_default(monkeypatch):
    """``ROW_THREADS`` 默认关：softmax 一族即使数组很大也在调用者的线程里计算。"""
    monkeypatch.setenv("CELOSS_NUM_THREADS", "2")
    assert _kernels.ROW_THREADS is False
    names: set[str] = set()
    real = _kernels._Rows.parts

    def parts(self, block):
        names.add(threading.current_thread().name)
        return real(self, block)

    monkeypatch.setattr(_kernels._Rows, "parts", parts)
    cross_entropy(np.zeros(40_000, int), np.zeros((40_000, 10)))
    assert names == {threading.current_thread().name}
    names.clear()
    monkeypatch.setattr(_kernels, "ROW_THREADS", True)
    cross_entropy(np.zeros(40_000, int), np.zeros((40_000, 10)))
    assert all(name.startswith("celoss") for name in names)


def test_callers_in_several_threads_share_the_pool(monkeypatch):
    """用户自己的几个线程同时调用（线程数各不相同）：共用线程池，互不干扰，结果逐位相同。"""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(6)
    n = 3 * _kernels.MIN_TASK + 17
    z = _logits(rng, (n,))
    y = (rng.random(n) < 0.5).astype(np.float64)
    monkeypatch.setenv("CELOSS_NUM_THREADS", "1")
    expected = celoss.bce_with_logits(y, z)

    def call(threads):
        monkeypatch.setenv("CELOSS_NUM_THREADS", str(threads))  # 读环境变量与计算交错进行
        return celoss.bce_with_logits(y, z)

    with ThreadPoolExecutor(4) as callers:
        for got in callers.map(call, [1, 2, 3, 2, 4, 1, 3, 2]):
            _same_bits(got, expected)
