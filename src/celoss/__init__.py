"""celoss：为什么分类任务要用交叉熵——配套的数值库。"""

__version__ = "0.1.0"
__all__: list[str] = []
