"""celoss：为什么分类任务要用交叉熵——配套的数值库。

``import celoss`` 只加载 numpy 上的数学部分；图表在 ``celoss.charts`` 中，需要时单独导入。
"""

from celoss.activations import log_sigmoid, logit, sigmoid
from celoss.information import entropy, kl_divergence
from celoss.losses import (
    bce,
    bce_grad,
    bce_with_logits,
    bce_with_logits_grad,
    mse,
    mse_grad,
    mse_with_logits,
    mse_with_logits_grad,
)
from celoss.multiclass import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    softmax,
    softmax_jacobian,
    softmax_mse,
    softmax_mse_grad,
)
from celoss.variants import (
    focal_loss,
    focal_loss_grad,
    smooth_labels,
    weighted_bce_with_logits,
    weighted_bce_with_logits_grad,
)

__version__ = "0.1.0"
__all__ = [
    "sigmoid",
    "log_sigmoid",
    "logit",
    "mse",
    "bce",
    "bce_with_logits",
    "mse_with_logits",
    "bce_with_logits_grad",
    "mse_with_logits_grad",
    "bce_grad",
    "mse_grad",
    "entropy",
    "kl_divergence",
    "softmax",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_grad",
    "softmax_jacobian",
    "softmax_mse",
    "softmax_mse_grad",
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "smooth_labels",
    "focal_loss",
    "focal_loss_grad",
]
