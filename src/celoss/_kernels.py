r"""celoss 的计算核心：不做检查的 float64 数学，公开函数与书中的实验共用的唯一一处。

每个函数只接受已经检查过、已经转成 float64 的数组（参数的形状已经按规则对齐），
不检查、不转换精度、不发警告。约定：

* 0·log 0 = 0，更一般地权重为 0 的项恒为 0，即使它乘的是 ±inf（:func:`xmul`）；
* σ(z) 与 σ(−z) 成对给出，从不计算 1 − σ(z)（:func:`sigmoid_pair`）；
* 所有结果都由同号项相加或相乘得到，没有「两个大数相减」；无法避免的相减
  （z − max z、p − q）用 TwoSum（:func:`two_diff`）把舍入误差也精确地算出来。

大数组按块处理（每块几万个元素，留在 CPU 缓存里），所以多出来的几遍运算几乎不额外读写内存。
块彼此独立，足够大的逐元素数组把块分给几个线程（numpy 的运算不持有 GIL，见 :func:`num_threads`）：
每一块的算法都与线程数无关，所以结果与单线程逐位相同；归约（``reduction``）在完整的结果上进行，
不受线程影响。按行分块的 softmax 一族默认单线程（见 :data:`ROW_THREADS`）。
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

T = TypeVar("T")

__all__ = [
    "CHUNK",
    "THREADS_ENV",
    "num_threads",
    "run_blocks",
    "flat_view",
    "map_blocks",
    "sigmoid_pair",
    "log_sigmoid",
    "softplus_tail",
    "neg_log_sigmoid_pair",
    "xmul",
    "binary_cross_entropy",
    "bce",
    "bce_with_logits",
    "bce_with_logits_hard",
    "sigmoid_minus",
    "logit",
    "two_diff",
    "smooth",
    "weighted_tail",
    "softmax_parts",
    "log_softmax_rows",
    "softmax_rows",
    "weighted_minus_log_p",
    "sums_without_each",
    "minus_log_p_at",
    "divergence_term",
    "bernoulli_kl",
]

#: 分块处理时每块的元素数：一个 float64 临时数组 256 KiB，几个一起仍留在二级缓存里；
#: 每次 numpy 运算要几十微秒，多线程时线程交接 GIL 的等待相对很小（块再小，两个线程几乎不能同时计算）。
CHUNK = 1 << 15


# --- 线程 ------------------------------------------------------------------------------------

#: 设定线程数的环境变量：正整数，1 表示不开线程。
THREADS_ENV = "CELOSS_NUM_THREADS"
#: 默认线程数的上限：逐元素运算受内存带宽限制，更多线程不再变快。
MAX_THREADS = 8
#: 每个线程任务至少这么多个元素（512 KiB 的 float64，约半毫秒的计算）；更小的数组单线程计算，
#: 省去调度的开销。
MIN_TASK = 1 << 16

_pools: dict[int, ThreadPoolExecutor] = {}  # 按线程数；不关闭旧池，另一个线程可能正往里提交任务
_pool_lock = threading.Lock()


def num_threads() -> int:
    """大数组计算用的线程数：环境变量 ``CELOSS_NUM_THREADS``，没有设定时是 ``min(os.cpu_count(), 8)``。

    每次调用时读取环境变量，所以运行中也可以修改；``1`` 表示单线程。线程数只影响速度，
    不影响结果（逐位相同）。

    Examples
    --------
    >>> 1 <= num_threads()
    True
    """
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return max(1, min(os.cpu_count() or 1, MAX_THREADS))
    try:
        threads = int(value)
    except ValueError:
        threads = 0
    if threads < 1:
        raise ValueError(f"环境变量 {THREADS_ENV} 必须是正整数（1 表示不开线程），收到 {value!r}")
    return threads


def _forget_pool() -> None:
    """fork 之后子进程里没有池中的线程：丢掉旧池（与可能被别的线程拿着的锁），需要时重建。"""
    global _pools, _pool_lock
    _pools, _pool_lock = {}, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _get_pool(threads: int) -> ThreadPoolExecutor:
    with _pool_lock:
        pool = _pools.get(threads)
        if pool is None:
            pool = _pools[threads] = ThreadPoolExecutor(threads, thread_name_prefix="celoss")
        return pool


def _tasks(threads: int, elements: int) -> int:
    return 1 if threads == 1 else min(4 * threads, elements // MIN_TASK)


def threaded(elements: int, parallel: bool = True) -> bool:
    """这么多个元素的计算会分给几个线程吗（见 :func:`run_blocks`）？"""
    return parallel and _tasks(num_threads(), elements) >= 2


def run_blocks(
    n: int, step: int, task: Callable[[int, int], T], width: int = 1, *, parallel: bool = True
) -> list[T]:
    """对 [0, n) 调用 ``task(start, stop)``，各段互不重叠、合起来恰好覆盖 [0, n)；按顺序返回各段的结果。

    段的边界都是 ``step`` 的倍数（最后一段除外），所以 ``task`` 在段内按 ``step`` 分块时，
    得到的块与单线程时完全相同。``width`` 是每个单位（例如一行）的元素数；
    元素不到两个 :data:`MIN_TASK` 或只有一个线程时直接调用 ``task(0, n)``；否则分成几段交给
    线程池（段数是线程数的几倍，忙闲不均时也能分摊），等全部完成，有异常时抛出第一个。
    ``task`` 在别的线程里运行：``np.errstate`` 要在 ``task`` 里面设定（它只对当前线程有效）。
    ``parallel=False`` 时总是单线程。
    """
    threads = num_threads() if parallel else 1
    tasks = _tasks(threads, n * width)
    if tasks < 2:
        return [task(0, n)]
    blocks = -(-n // step)
    per = -(-blocks // tasks) * step
    pool = _get_pool(threads)
    futures = [pool.submit(task, start, min(start + per, n)) for start in range(0, n, per)]
    return [future.result() for future in futures]


def flat_view(a: np.ndarray) -> np.ndarray:
    """a 的一维视图，供按块处理：连续数组不复制；整个是一个值广播出来的（步长全为 0）也不复制，
    给出步长为 0 的一维视图；其余的（转置、部分广播）复制成连续的。"""
    if a.flags.c_contiguous:
        return a.reshape(-1)
    if a.size and not any(a.strides):
        return np.broadcast_to(a[(0,) * a.ndim], (a.size,))
    return np.ascontiguousarray(a).reshape(-1)


def map_blocks(fn: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """逐元素的 ``fn(*arrays)``（参数形状相同），按 :data:`CHUNK` 分块、在线程间分配，结果逐位相同。

    ``fn`` 在各线程里运行，它自己负责 ``np.errstate``；每块都是一维的（步长为 0 的广播值保持广播）。
    """
    out = np.empty(arrays[0].shape)
    flats, flat_out = [flat_view(a) for a in arrays], out.reshape(-1)

    def task(first: int, stop: int) -> None:
        for start in range(first, stop, CHUNK):
            block = slice(start, min(start + CHUNK, stop))
            flat_out[block] = fn(*(f[block] for f in flats))

    run_blocks(out.size, CHUNK, task)
    return out


def sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """返回 (σ(z), σ(−z))，只对 ``e = exp(-abs(z)) <= 1`` 求值，因此不会上溢。"""
    e = np.exp(-np.abs(z))
    big = 1.0 / (1.0 + e)  # σ(|z|) ∈ [1/2, 1]
    small = e / (1.0 + e)  # σ(−|z|) ∈ [0, 1/2]
    nonneg = z >= 0
    return np.where(nonneg, big, small), np.where(nonneg, small, big)


def softplus_tail(z: np.ndarray) -> np.ndarray:
    """log1p(exp(−|z|)) ∈ [0, log 2]：softplus 与 log σ 共有的那一项。"""
    return np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z: np.ndarray) -> np.ndarray:
    """log σ(z) = ``min(z, 0) - log1p(exp(-abs(z)))``：两项同号，没有相消。"""
    return np.minimum(z, 0.0) - softplus_tail(z)


def neg_log_sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(−log σ(z), −log σ(−z))，与 ``-log_sigmoid(±z)`` 逐位相同，但 exp 与 log1p 只算一次。"""
    tail = softplus_tail(z)
    return np.maximum(-z, 0.0) + tail, np.maximum(z, 0.0) + tail


def xmul(w: np.ndarray, t: np.ndarray) -> np.ndarray:
    """w·t，但权重为 0 的项恒为 0，即使 t = ±inf（0·log 0 = 0 的约定）。"""
    with np.errstate(invalid="ignore"):
        return np.where(w == 0, 0.0, w * t)


def binary_cross_entropy(y: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """−[y·log p + (1 − y)·log q]，其中 log_p、log_q ≤ 0：两项都非负，没有相消。"""
    return xmul(y, -log_p) + xmul(1.0 - y, -log_q)


def bce(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """概率形式的二元交叉熵；log(0) = −inf 是有意为之（bce(1, 0) = inf）。"""
    with np.errstate(divide="ignore"):
        return binary_cross_entropy(y, np.log(y_hat), np.log1p(-y_hat))


def _bce_with_logits_block(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    with np.errstate(under="ignore"):
        minus_log_p, minus_log_q = neg_log_sigmoid_pair(z)
        return xmul(y, minus_log_p) + xmul(1.0 - y, minus_log_q)


def bce_with_logits(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """y·(−log σ(z)) + (1 − y)·(−log σ(−z))，任意 y ∈ [0, 1]；``y`` 与 ``z`` 形状相同（按块、可多线程）。"""
    return map_blocks(_bce_with_logits_block, y, z)


def _bce_hard_block(y: np.ndarray, z: np.ndarray, out: np.ndarray, s: np.ndarray) -> None:
    # y = 1 时损失是 max(−z, 0) + tail，y = 0 时是 max(z, 0) + tail：s = (1 − 2y)·z = ∓z 是精确的
    # （乘以 ±1），max(s, 0) 只在 z 与标签「反号」时是 |z|，否则是 0。``s`` 是同样大小的缓冲区。
    np.add(y, y, out=s)
    np.subtract(1.0, s, out=s)
    np.multiply(s, z, out=s)
    np.abs(z, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    np.maximum(s, 0.0, out=s)
    np.add(out, s, out=out)


def bce_with_logits_hard(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """硬标签（每个 y 都是 0 或 1）时的 :func:`bce_with_logits`，逐位相同，但快得多。

    y = 1 时损失是 softplus(−z) = max(−z, 0) + log1p(e^(−|z|))，y = 0 时是 softplus(z)，
    不需要补偿：只做一次 exp、一次 log1p，再加上 max((1 − 2y)·z, 0)。
    ``y`` 与 ``z`` 形状相同。
    """
    out = np.empty(z.shape)
    flat_y, flat_z, flat_out = flat_view(y), flat_view(z), out.reshape(-1)

    def task(first: int, stop: int) -> None:
        s = np.empty(min(CHUNK, stop - first))
        with np.errstate(under="ignore"):
            for start in range(first, stop, CHUNK):
                block = slice(start, min(start + CHUNK, stop))
                _bce_hard_block(flat_y[block], flat_z[block], flat_out[block], s[: flat_out[block].size])

    run_blocks(flat_z.size, CHUNK, task)
    return out


def sigmoid_minus(y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """返回 (σ(z) − y, σ(z), σ(−z))，差值写成 (1 − y)σ(z) − yσ(−z)。"""
    sig, sig_neg = sigmoid_pair(z)
    return (1.0 - y) * sig - y * sig_neg, sig, sig_neg


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 − p))，三段都没有相消；p = 0、1 时为 ∓inf（有意为之）。

    * p ≥ 1/2：log1p((2p − 1)/(1 − p))，2p − 1 与 1 − p 都是精确的；
    * 1/4 ≤ p < 1/2：−log1p((1 − 2p)/p)，1 − 2p 是精确的；
    * p < 1/4：log p − log1p(−p)，两项之比至少是 4.8，相消最多损失 1 位。
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        upper = np.log1p((2.0 * p - 1.0) / (1.0 - p))
        middle = -np.log1p((1.0 - 2.0 * p) / p)
        lower = np.log(p) - np.log1p(-p)
    return np.where(p >= 0.5, upper, np.where(p >= 0.25, middle, lower))


def weighted_tail(w: np.ndarray, z: np.ndarray, tail: np.ndarray, subnormal_tail: float = 708.0) -> np.ndarray:
    """w·tail，tail 是 −log σ(z) 或 σ(−z)（z > 708 时两者都舍入成 e^(−z)）。

    e^(−z) 是次正规数时它的舍入误差是固定的绝对量，乘以大的 w 会放大成许多 ulp；
    这时改算 (w·h)·h，h = e^(−z/2) 仍是正规数，只在最后一步舍入一次。
    w ≤ 1 时不放大，保持与不加权的函数逐位相同。
    """
    with np.errstate(under="ignore"):
        h = np.exp(-0.5 * np.maximum(z, subnormal_tail))
        return np.where((z > subnormal_tail) & (w > 1.0), (w * h) * h, w * tail)


# --- 无误差变换 ------------------------------------------------------------------------------


def two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """返回 (s, e)：s = fl(a − b)，并且 a − b = s + e 精确成立（Knuth 的 TwoSum）。

    TwoSum 见 D. E. Knuth, *The Art of Computer Programming*, Vol. 2, 3rd ed., §4.2.2,
    Theorem B；它不要求 |a| ≥ |b|，所以没有分支。s 是 ±inf 时 e 没有意义，取 0。

    Examples
    --------
    >>> s, e = two_diff(np.float64(1.0), np.float64(1e-17))
    >>> float(s), float(e)
    (1.0, -1e-17)
    >>> s, e = two_diff(np.float64(1e308), np.float64(-1e308))
    >>> float(s), float(e)
    (inf, 0.0)
    """
    with np.errstate(over="ignore", invalid="ignore"):
        s = np.subtract(a, b)
        v = s - a  # the part of s that came from −b, after rounding
        e = a - (s - v)
        e -= b + v
    finite = np.isfinite(s)
    if not np.all(finite):
        e = np.where(finite, e, 0.0)
    return s, e


def smooth(t: np.ndarray, eps: float | np.ndarray, num_classes: int) -> np.ndarray:
    """(1 − ε)·t + ε/K：两项非负，没有相消；t = 1 时舍入后也不超过 1（K ≥ 2）。"""
    return (1.0 - eps) * t + eps / num_classes


# --- softmax（类别在最后一轴）---------------------------------------------------------------


class _Rows:
    """按列存放的一块 logit（形状 (K, 行数)）及其计算用的缓冲区，整次调用只分配一次。

    :meth:`parts` 给出 (d, e, E, S, free, m)：d + e 恰好等于 z − max z（TwoSum）；
    E = e^d，最大的那一项恰好是 1，e^(z − m) = E (1 + e) 到一阶；S 是最大项以外的
    E (1 + e) 之和（并列最大的其余各项各算 1）；free 在等于最大值 m 的位置为 0，其余为 1。
    ``-inf`` 的 logit（被屏蔽的类别）给出 d = −inf、e = 0、E = 0；每行至少要有一个有限值。
    运算都是沿行的长向量运算，S 按类别顺序依次相加，所以结果与分块方式无关。
    每个线程任务各建一个（缓冲区不共享）；``step`` 只由 K 与总行数决定，与线程数无关。
    """

    def __init__(self, k: int, step: int):
        self.step = step
        shape = (k, self.step)
        # 五块缓冲区（TwoSum 用过的 v 接着存 free，exp 之前的 scaled 先存 m），整块留在二级缓存里
        self._cols, self._d, self._e, self._v, self._scaled = (np.empty(shape) for _ in range(5))
        self._top, self._rest, self._corr = (np.empty(self.step) for _ in range(3))

    @staticmethod
    def step_for(k: int, rows: int) -> int:
        """每块的行数：约 :data:`_ROW_CHUNK` 个元素，多线程时约 :data:`_ROW_CHUNK_THREADED` 个。

        块的大小不影响结果（见上），只影响速度：单线程时小块留在二级缓存里最快；多线程时每次
        numpy 运算要足够长，线程才能在交接 GIL 的间隙里同时计算。
        """
        chunk = _ROW_CHUNK_THREADED if threaded(rows * k, ROW_THREADS) else _ROW_CHUNK
        return max(1, min(rows, chunk // max(k, 1)))

    def blocks(self, first: int, stop: int) -> Iterator[slice]:
        """[first, stop) 内的各块；``first`` 是 ``step`` 的倍数时，块与从 0 开始分的块相同。"""
        for start in range(first, stop, self.step):
            yield slice(start, min(start + self.step, stop))

    def parts(self, block: np.ndarray) -> tuple[np.ndarray, ...]:
        """``block``：形状 (行数, K) 的 logit；返回的数组是缓冲区的视图，下一块会覆盖它们。"""
        r = block.shape[0]
        k = block.shape[1]
        cols, d, e, v, scaled = (a[:, :r] for a in (self._cols, self._d, self._e, self._v, self._scaled))
        top, rest = self._top[:r], self._rest[:r]
        tops, free = scaled, v  # 1.0 = 不是最大项，0.0 = 最大项
        np.copyto(cols, block.T)
        np.maximum.reduce(cols, axis=0, out=top)
        np.copyto(tops, top)  # 每个类别一行 m：下面的减法不必广播（广播的减法要慢两三倍）
        # TwoSum: d = fl(z − m)，v = d − z，e = (z − (d − v)) − (m + v)
        np.subtract(cols, tops, out=d)
        np.subtract(d, cols, out=v)
        np.subtract(d, v, out=e)
        np.subtract(cols, e, out=e)
        np.add(v, tops, out=v)
        np.subtract(e, v, out=e)
        np.not_equal(d, 0.0, out=free, casting="unsafe")  # fl(z − m) = 0 恰好当 z = m
        np.exp(d, out=scaled)
        self._sum(scaled, e, free, rest)
        if np.isnan(np.add.reduce(rest)):  # −inf 的 logit（或 z − m 上溢）：那里 e 无意义，取 0 重算
            np.copyto(e, 0.0, where=~np.isfinite(d))
            self._sum(scaled, e, free, rest)
        if np.add.reduce(free, axis=None) != (k - 1) * r:  # 并列最大：其余的并列项各贡献 1
            rest += (k - 1) - np.add.reduce(free, axis=0)  # 0/1 之和是精确的整数
        return d, e, scaled, rest, free, top

    def at(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """上一次 :meth:`parts` 那一块里，每行在类别 ``labels`` 处的 (d, e)（TwoSum 已经算好，不必重算）。"""
        index = labels * self.step + np.arange(labels.size)
        return self._d.reshape(-1).take(index), self._e.reshape(-1).take(index)

    def _sum(self, scaled: np.ndarray, e: np.ndarray, free: np.ndarray, rest: np.ndarray) -> None:
        """S = Σ_j [j 不是最大项]·e^(d_j) + Σ_j e^(d_j)·e_j（最大项的 e 为 0）：e^(d + e) 的一阶修正。"""
        np.einsum("kr,kr->r", scaled, free, out=rest)
        rest += np.einsum("kr,kr->r", scaled, e, out=self._corr[: rest.size])


#: 按行分块时每块的元素数（行数 × K）：缓冲区一共约 1 MiB，留在二级缓存里。
_ROW_CHUNK = 1 << 14
#: 多线程时按行分块的元素数（缓冲区约 2.5 MiB）。
_ROW_CHUNK_THREADED = 1 << 16
#: 按行分块的核心（softmax 一族）也用多线程吗？默认不用：每块要调用二十几次 numpy，每次都交接一次 GIL，
#: 在测试用的 2 核机器上两个线程只快一成左右，却多花约一半的 CPU 时间，机器忙时反而更慢
#: （见 README 的吞吐量）。设为 True 时结果仍与单线程逐位相同（tests/test_threads.py 检查这一点）。
ROW_THREADS = False


def softmax_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log p, p, 1 − p)，p = softmax(z)，类别在最后一轴（见 :mod:`celoss.multiclass` 的说明）。

    记 S 为最大项以外的 E 之和：log p = (d − log1p(S)) + e，p = E / (1 + S)，
    1 − p = Σ_{j≠i} E_j / (1 + S)，其中最大项的 Σ_{j≠i} E_j 就是 S，其余项用 (1 + S) − E_i
    （此时 E_i ≤ (1 + S)/2，相减最多损失 1 位）。
    """
    log_p, p, q = _softmax_rows(z, True, True, True)
    assert log_p is not None
    assert p is not None
    assert q is not None
    return log_p, p, q


def log_softmax_rows(z: np.ndarray) -> np.ndarray:
    """只求 :func:`softmax_parts` 的 log p（逐位相同），省去 p 与 1 − p。"""
    log_p = _softmax_rows(z, True, False, False)[0]
    assert log_p is not None
    return log_p


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """只求 :func:`softmax_parts` 的 p（逐位相同），省去 log p 与 1 − p。"""
    p = _softmax_rows(z, False, True, False)[1]
    assert p is not None
    return p


def weighted_minus_log_p(u: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Σ_j u_j·(−log p_j)，沿最后一轴求和（``u`` 与 ``z`` 形状相同，u ≥ 0，u_j = 0 的项为 0）。

    与 ``np.sum(xmul(u, -log_softmax_rows(z)), axis=-1)`` 逐位相同：每块的 −log p 先写成按行连续的
    (行数, K)，与整个数组时一样逐行求和；但只多占一块的内存，并且按块分给线程。
    """
    k = z.shape[-1]
    flat_z, flat_u = z.reshape(-1, k), u.reshape(-1, k)
    n = flat_z.shape[0]
    out = np.empty(n)
    step = _Rows.step_for(k, n)

    def task(first: int, stop: int) -> None:
        rows = _Rows(k, step)
        minus_log_p = np.empty((rows.step, k))
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for block in rows.blocks(first, stop):
                d, e, _, rest, _, _ = rows.parts(flat_z[block])
                t = minus_log_p[: d.shape[1]]
                np.negative(((d - np.log1p(rest)) + e).T, out=t)
                np.sum(xmul(flat_u[block], t), axis=-1, out=out[block])

    run_blocks(n, step, task, width=k, parallel=ROW_THREADS)
    return out.reshape(z.shape[:-1])


def _softmax_rows(
    z: np.ndarray, want_log_p: bool, want_p: bool, want_q: bool
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    k = z.shape[-1]
    flat = z.reshape(-1, k)
    n = flat.shape[0]
    log_p, p, q = (np.empty(flat.shape) if want else None for want in (want_log_p, want_p, want_q))
    step = _Rows.step_for(k, n)

    def task(first: int, stop: int) -> None:
        rows = _Rows(k, step)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for block in rows.blocks(first, stop):
                d, e, scaled, rest, free, _ = rows.parts(flat[block])
                if log_p is not None:
                    log_p[block] = ((d - np.log1p(rest)) + e).T
                if p is None and q is None:
                    continue
                scaled += scaled * e
                total = rest + 1.0
                if p is not None:
                    p[block] = (scaled / total).T
                if q is not None:
                    q[block] = (np.where(free == 0.0, rest, total - scaled) / total).T

    run_blocks(n, step, task, width=k, parallel=ROW_THREADS)
    return tuple(None if a is None else a.reshape(z.shape) for a in (log_p, p, q))  # type: ignore[return-value]


def minus_log_p_at(labels: np.ndarray, z: np.ndarray) -> np.ndarray:
    """只求标签那一类的 −log p，不生成整行概率；``labels`` 的形状是 ``z`` 去掉最后一轴。

    与 ``-softmax_parts(z)[0]`` 在标签处逐位相同：−[(d − log1p(S)) + e] = (log1p(S) − d) − e，
    d、e 取自 :meth:`_Rows.parts` 已经算好的那一块。标签处的 logit 是 −inf 时结果是 inf。
    """
    k = z.shape[-1]
    flat_z = z.reshape(-1, k)
    flat_labels = labels.reshape(-1)
    n = flat_labels.size
    out = np.empty(n)
    step = _Rows.step_for(k, n)

    def task(first: int, stop: int) -> None:
        rows = _Rows(k, step)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for block in rows.blocks(first, stop):
                rest = rows.parts(flat_z[block])[3]
                d_at, e_at = rows.at(flat_labels[block])
                np.log1p(rest, out=out[block])
                out[block] -= d_at
                out[block] -= e_at

    run_blocks(n, step, task, width=k, parallel=ROW_THREADS)
    return out.reshape(labels.shape)


def sums_without_each(x: np.ndarray) -> np.ndarray:
    """x ≥ 0：沿最后一轴给出每个 i 的 Σ_{j≠i} x_j。

    最大的那一项直接对其余各项求和；其余的 i 用「总和 − x_i」，此时 x_i ≤ 总和/2，
    相减最多损失 1 位，而不会在 x_i ≈ 总和时丢掉全部有效数字。
    """
    top = np.argmax(x, axis=-1)[..., None]
    is_top = np.arange(x.shape[-1]) == top
    rest = np.sum(np.where(is_top, 0.0, x), axis=-1, keepdims=True)
    total = rest + np.take_along_axis(x, top, axis=-1)
    return np.where(is_top, rest, total - x)


# --- KL 散度 ---------------------------------------------------------------------------------

# |s| ≤ _NEAR（即 a/b ∈ [1/4, 4]）时用级数，否则用直接公式：级数的舍入误差随 |s| 增大，
# 直接公式的相消随 |s| 减小，两者在 0.6 附近相当；级数 Σ w^m/(2m + 3)（w = s² ≤ 0.36）
# 取 40 项后余项 < 0.36^40 ≈ 2e-18，低于 float64 的舍入误差。
_NEAR = 0.6
_SERIES = 1.0 / (2.0 * np.arange(40) + 3.0)


def divergence_term(a: np.ndarray, b: np.ndarray, d: np.ndarray, d_lo: np.ndarray) -> np.ndarray:
    """a·log(a/b) − a + b ≥ 0（a, b ∈ [0, 1]），其中 d + d_lo 是 a − b 的精确值。

    令 s = (a − b)/(a + b)、w = s²，恒等式 log(a/b) = 2·artanh(s) 给出无相消的

        a·log(a/b) − a + b = (a − b)·s·(1 + s(1 + s)·Σ_m w^m/(2m + 3)),

    各因子同号；``abs(s) > _NEAR`` 时直接计算，a/b 上溢时改用 log a − log b。
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        total = a + b
        s = d / total + d_lo / total  # a = b = 0 时为 NaN，落到直接公式
        series = (d * s + d_lo * s) * (1.0 + s * (1.0 + s) * np.polynomial.polynomial.polyval(s * s, _SERIES))
        ratio = a / b
        log_ratio = np.where(np.isinf(ratio), np.log(a) - np.log(b), np.log(ratio))
        direct = (np.where(a == 0, 0.0, a * log_ratio) - d) - d_lo
    return np.where(np.abs(s) <= _NEAR, series, direct)


def bernoulli_kl(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """伯努利分布的 D(p‖q) = q·h(p/q) + (1 − q)·h((1 − p)/(1 − q))，两项都非负。"""
    d, d_lo = two_diff(p, q)
    return divergence_term(p, q, d, d_lo) + divergence_term(1.0 - p, 1.0 - q, -d, -d_lo)
