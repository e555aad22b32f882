"""celoss：为什么分类任务要用交叉熵——配套的数值库。

``import celoss`` 只加载 numpy 上的数学部分；图表在 ``celoss.charts`` 中，需要时单独导入。
"""

from celoss import activations, information, losses, multiclass, variants
from celoss.activations import log_sigmoid as log_sigmoid
from celoss.activations import logit as logit
from celoss.activations import sigmoid as sigmoid
from celoss.information import entropy as entropy
from celoss.information import kl_divergence as kl_divergence
from celoss.losses import bce as bce
from celoss.losses import bce_grad as bce_grad
from celoss.losses import bce_with_logits as bce_with_logits
from celoss.losses import bce_with_logits_grad as bce_with_logits_grad
from celoss.losses import mse as mse
from celoss.losses import mse_grad as mse_grad
from celoss.losses import mse_with_logits as mse_with_logits
from celoss.losses import mse_with_logits_grad as mse_with_logits_grad
from celoss.multiclass import cross_entropy as cross_entropy
from celoss.multiclass import cross_entropy_grad as cross_entropy_grad
from celoss.multiclass import log_softmax as log_softmax
from celoss.multiclass import softmax as softmax
from celoss.multiclass import softmax_jacobian as softmax_jacobian
from celoss.multiclass import softmax_mse as softmax_mse
from celoss.multiclass import softmax_mse_grad as softmax_mse_grad
from celoss.variants import focal_loss as focal_loss
from celoss.variants import focal_loss_grad as focal_loss_grad
from celoss.variants import smooth_labels as smooth_labels
from celoss.variants import weighted_bce_with_logits as weighted_bce_with_logits
from celoss.variants import weighted_bce_with_logits_grad as weighted_bce_with_logits_grad

__version__ = "0.1.0"
# the public names in reading order, each module's own list once
__all__ = activations.__all__ + losses.__all__ + information.__all__ + multiclass.__all__ + variants.__all__
