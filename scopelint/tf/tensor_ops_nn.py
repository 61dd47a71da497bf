"""``tf.nn`` convolutions and pooling, and ``tf.image`` resizing: the static shapes TF gives them.

Convolutions (``conv1d``, ``conv2d``, ``conv3d``, ``convolution``, ``depthwise_conv2d``,
``separable_conv2d``, ``atrous_conv2d``, ``conv2d_transpose``) take their output channels from the filter and their
spatial sizes from padding, strides and dilations (``tensors.conv_length``); pooling keeps the
channels. TF 1 and TF 2 order some arguments differently: past the first four, only keywords and
values of the right kind are read.
"""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import Tensor
from .tensors import (
    as_tensor, conv_length, first_input, int_value, moved_arg, registered, shape_from, tensor,
)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _not_str(value: Any) -> bool:
    return value is not None and not isinstance(value, (str, bool))


def _per_dim(value: Any, rank: int, channels_last: bool) -> tuple | None:
    """Strides, dilations or a pool size given as an int or a list of 1, ``rank`` or ``rank + 2``
    ints, as the ``rank`` spatial values (TF's ``_get_sequence``)."""
    if value is None:
        return (1,) * rank
    if int_value(value) is not None:
        return (int_value(value),) * rank
    if not isinstance(value, (list, tuple)):
        return None
    items = [int_value(v) for v in value]
    if None in items:
        return None
    if len(items) == 1:
        return (items[0],) * rank
    if len(items) == rank:
        return tuple(items)
    if len(items) == rank + 2:
        return tuple(items[1:-1]) if channels_last else tuple(items[2:])
    return None


def _layout(data_format: Any, rank: int) -> bool | None:
    """Channels last (``NHWC``, ``NWC``, ``NDHWC``, the default) or first; None if unknown."""
    if data_format is None:
        return True
    if not isinstance(data_format, str):
        return None
    if data_format.startswith("NC"):
        return False
    return True if data_format.startswith("N") and data_format.endswith("C") else None


def _spatial(size: Any, kernel: Any, stride: int, padding: Any, dilation: int) -> Any:
    """One output size: ``padding`` a mode or a (before, after) pair of explicit padding."""
    if isinstance(padding, (list, tuple)):
        before, after = (int_value(p) for p in padding) if len(padding) == 2 else (None, None)
        if size is None or before is None or after is None:
            return None
        return conv_length(size + before + after, kernel, stride, "VALID", dilation)
    return conv_length(size, kernel, stride, padding, dilation)


def convolved(value: Tensor, window: tuple, channels: Any, strides: Any, padding: Any,
              dilations: Any, data_format: Any, rank: int) -> tuple | None:
    """The output shape of a ``rank``-d convolution or pooling of ``value`` with a ``window`` of
    spatial sizes making ``channels`` channels; None when even the rank is unknown."""
    last = _layout(data_format, rank)
    if last is None:
        return None
    if value.shape is not None and len(value.shape) != rank + 2:
        return None
    shape = value.shape if value.shape is not None else (None,) * (rank + 2)
    step, dilate = _per_dim(strides, rank, last), _per_dim(dilations, rank, last)
    spatial = shape[1:-1] if last else shape[2:]
    pads: list = [padding] * rank
    if isinstance(padding, (list, tuple)):
        if len(padding) != rank + 2:
            return None
        pads = list(padding[1:-1] if last else padding[2:])
    if step is None or dilate is None or len(window) != rank:
        sizes = [None] * rank
    else:
        sizes = [_spatial(n, k, s, p, d) for n, k, s, p, d in zip(spatial, window, step, pads, dilate)]
    return (shape[0], *sizes, channels) if last else (shape[0], channels, *sizes)


def _filter(kernel: Tensor, rank: int) -> tuple[tuple, Any, Any]:
    """A filter's spatial sizes, input and output channels (None where unknown)."""
    if kernel.shape is None or len(kernel.shape) != rank + 2:
        return (None,) * rank, None, None
    return kernel.shape[:rank], kernel.shape[rank], kernel.shape[rank + 1]


_CONV_RANKS = {"nn.conv1d": 1, "nn.conv2d": 2, "nn.conv3d": 3}


@registered(["nn.conv1d", "nn.conv2d", "nn.conv3d"])
def conv(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    rank = _CONV_RANKS[api_name]
    get = ArgReader(args, kwargs)
    value = as_tensor(kwargs.get("input", kwargs.get("value", args[0] if args else None)))
    kernel = as_tensor(kwargs.get("filters", kwargs.get("filter", args[1] if len(args) > 1 else None)))
    strides = get(2, "stride" if rank == 1 else "strides")
    data_format = moved_arg(args, kwargs, "data_format", (4, 5), _is_str)
    dilations = moved_arg(args, kwargs, "dilations", (5, 6, 8), _not_str)
    window, _, channels = _filter(kernel, rank)
    return tensor(convolved(value, window, channels, strides, get(3, "padding"), dilations,
                            data_format, rank), value.dtype)


@registered(["nn.convolution"])
def convolution(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``tf.nn.convolution``: of the filter's rank (else the input's) less two. TF 1 takes
    ``padding`` third (then ``strides``, ``dilation_rate``), TF 2 ``strides`` (then ``padding``,
    ``data_format``, ``dilations``): a str third is TF 1's padding."""
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "input"))
    kernel = as_tensor(kwargs.get("filters", kwargs.get("filter", args[1] if len(args) > 1 else None)))
    v1 = len(args) > 2 and isinstance(args[2], str)
    padding = get(2 if v1 else 3, "padding")
    strides = get(3 if v1 else 2, "strides")
    dilations = get(4 if v1 else 5, "dilation_rate" if "dilation_rate" in kwargs else "dilations")
    data_format = get(6 if v1 else 4, "data_format")
    known = kernel.shape if kernel.shape is not None else value.shape
    rank = len(known) - 2 if known is not None and 3 <= len(known) <= 5 else None
    if rank is None or not _is_str(padding) or not (data_format is None or _is_str(data_format)):
        return tensor(None, value.dtype)
    window, _, channels = _filter(kernel, rank)
    return tensor(convolved(value, window, channels, strides, padding, dilations, data_format,
                            rank), value.dtype)


@registered(["nn.depthwise_conv2d", "nn.separable_conv2d"])
def depthwise(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A depthwise convolution (``rate`` is its dilation): each input channel times the
    multiplier; a separable one mixes those with a 1x1 ``pointwise_filter``."""
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "input"))
    separable = api_name == "nn.separable_conv2d"
    kernel = as_tensor(get(1, "depthwise_filter" if separable else "filter"))
    offset = 1 if separable else 0
    strides, padding = get(2 + offset, "strides"), get(3 + offset, "padding")
    rate = kwargs.get("rate", kwargs.get("dilations"))
    if rate is None and len(args) > 4 + offset and not isinstance(args[4 + offset], str):
        rate = args[4 + offset]
    data_format = moved_arg(args, kwargs, "data_format", (4 + offset, 6 + offset), _is_str)
    window, inputs, multiplier = _filter(kernel, 2)
    channels = inputs * multiplier if inputs is not None and multiplier is not None else None
    if separable:
        pointwise = as_tensor(get(2, "pointwise_filter"))
        channels = _filter(pointwise, 2)[2]
    return tensor(convolved(value, window, channels, strides, padding, rate, data_format, 2), value.dtype)


@registered(["nn.atrous_conv2d"])
def atrous_conv2d(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, kernel = as_tensor(get(0, "value")), as_tensor(get(1, "filters"))
    window, _, channels = _filter(kernel, 2)
    return tensor(convolved(value, window, channels, 1, get(3, "padding"), get(2, "rate"), None, 2),
                  value.dtype)


@registered(["nn.conv2d_transpose", "nn.conv1d_transpose", "nn.conv3d_transpose"])
def conv_transpose(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The batch is the input's; every other dim is the one ``output_shape`` gives."""
    get = ArgReader(args, kwargs)
    value = as_tensor(kwargs.get("input", kwargs.get("value", args[0] if args else None)))
    rank = {"nn.conv1d_transpose": 1, "nn.conv2d_transpose": 2, "nn.conv3d_transpose": 3}[api_name]
    wanted = shape_from(get(2, "output_shape"))
    if wanted is None or len(wanted) != rank + 2:
        return tensor((None,) * (rank + 2) if wanted is not None else None, value.dtype)
    batch = value.shape[0] if value.shape else None
    return tensor((batch,) + wanted[1:], value.dtype)


_POOLS = {
    "nn.max_pool": 2, "nn.avg_pool": 2, "nn.max_pool2d": 2, "nn.avg_pool2d": 2,
    "nn.max_pool1d": 1, "nn.avg_pool1d": 1, "nn.max_pool3d": 3, "nn.avg_pool3d": 3,
    "nn.max_pool_v2": None, "nn.avg_pool_v2": None,
}


@registered(list(_POOLS))
def pool(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value = as_tensor(kwargs.get("input", kwargs.get("value", args[0] if args else None)))
    rank = _POOLS[api_name]
    if rank is None:
        rank = len(value.shape) - 2 if value.shape is not None and len(value.shape) > 2 else None
        if rank is None:
            return tensor(None, value.dtype)
    return _pooled(value, get(1, "ksize"), get(2, "strides"), get(3, "padding"), None,
                   get(4, "data_format"), rank)


def _pooled(value: Tensor, window: Any, strides: Any, padding: Any, dilations: Any,
            data_format: Any, rank: int) -> Tensor:
    """A ``rank``-d pooling of ``value``: its channels kept, its spatial sizes pooled."""
    last = _layout(data_format, rank)
    sizes = _per_dim(window, rank, bool(last))
    channels = None
    if value.shape is not None and last is not None and len(value.shape) == rank + 2:
        channels = value.shape[-1] if last else value.shape[1]
    shape = convolved(value, sizes if sizes is not None else (None,) * rank, channels,
                      strides, padding, dilations, data_format, rank)
    return tensor(shape, value.dtype)


@registered(["nn.pool"])
def nd_pool(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``pool(input, window_shape, pooling_type, padding, dilation_rate, strides, name,
    data_format)``: a pooling of the input's rank (tensor2tensor's ``common_layers.pool``)."""
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "input"))
    if value.shape is None or len(value.shape) < 3:
        return tensor(None, value.dtype)
    dilations = kwargs.get("dilations", get(4, "dilation_rate"))
    return _pooled(value, get(1, "window_shape"), get(5, "strides"), get(3, "padding"), dilations,
                   get(7, "data_format"), len(value.shape) - 2)


_RESIZE = {
    "image.resize_images": "float32", "image.resize": "float32", "image.resize_bilinear": "float32",
    "image.resize_bicubic": "float32", "image.resize_area": "float32",
    "image.resize_nearest_neighbor": None, "image.resize_image_with_crop_or_pad": None,
    "image.resize_with_crop_or_pad": None,
}


@registered(list(_RESIZE))
def resize(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Images (one, or a batch) with new spatial sizes: the channels and the batch stay."""
    get = ArgReader(args, kwargs)
    images = as_tensor(first_input(args, kwargs))
    dtype = _RESIZE[api_name] or images.dtype
    if api_name.endswith("crop_or_pad"):
        size = shape_from([get(1, "target_height"), get(2, "target_width")])
    else:
        if get(-1, "preserve_aspect_ratio", False) is not False or "method" in kwargs or (
            len(args) > 2 and api_name in ("image.resize_images", "image.resize")
        ):
            dtype = None  # another method may keep the input's dtype
        size = shape_from(get(1, "size"))
        if get(-1, "preserve_aspect_ratio", False) is not False:
            size = None
    if images.shape is None or len(images.shape) not in (3, 4):
        return tensor(None, dtype)
    if size is None or len(size) != 2:
        size = (None, None)
    return tensor(images.shape[:-3] + size + images.shape[-1:], dtype)


@registered(["random_crop", "image.random_crop"])
def random_crop(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return tensor(shape_from(get(1, "size")), as_tensor(get(0, "value")).dtype)


@registered(["image.crop_to_bounding_box", "image.pad_to_bounding_box"])
def to_bounding_box(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Images (one, or a batch) cropped or padded to a target height and width."""
    get = ArgReader(args, kwargs)
    images = as_tensor(get(0, "image"))
    size = (int_value(get(3, "target_height")), int_value(get(4, "target_width")))
    if images.shape is None or len(images.shape) not in (3, 4):
        return tensor(None, images.dtype)
    return tensor(images.shape[:-3] + size + images.shape[-1:], images.dtype)


@registered(["image.per_image_standardization"])
def standardized(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    images = as_tensor(first_input(args, kwargs))
    return tensor(images.shape, "float32" if images.dtype == "float32" else None)


@registered(["nn.fused_batch_norm"])
def fused_batch_norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``(y, mean, variance)``: ``y`` is ``x``'s shape, the statistics one value per channel."""
    get = ArgReader(args, kwargs)
    value, scale = as_tensor(get(0, "x")), as_tensor(get(1, "scale"))
    last = _layout(get(6, "data_format"), 2)
    channels = scale.shape[0] if scale.shape is not None and len(scale.shape) == 1 else None
    if channels is None and last is not None and value.shape is not None and len(value.shape) == 4:
        channels = value.shape[-1] if last else value.shape[1]
    stats = tensor((channels,), "float32")
    return (tensor(value.shape, value.dtype), stats, stats)


@registered(["batch_to_space", "space_to_batch", "batch_to_space_nd", "space_to_batch_nd"])
def batch_to_space(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Spatial blocks moved between the batch and the spatial dims; the rest stays. TF 1 takes
    ``(input, crops|paddings, block_size)``, TF 2 and the ``_nd`` forms ``(input, block_shape,
    crops|paddings)``: the one that is a list of pairs is the crops."""
    value = as_tensor(kwargs.get("input", args[0] if args else None))
    cut_name = "crops" if api_name.startswith("batch") else "paddings"
    rest = [a for a in args[1:3]]
    cut = kwargs.get(cut_name, next((a for a in rest if _pairs(a)), None))
    block = kwargs.get("block_shape", kwargs.get("block_size", next((a for a in rest if not _pairs(a)), None)))
    blocks = [int_value(block)] * 2 if int_value(block) is not None else block
    if value.shape is None or not isinstance(blocks, (list, tuple)) or not _pairs(cut):
        return tensor(None, value.dtype)
    sizes = [int_value(b) for b in blocks]
    cuts = [[int_value(c) for c in pair] for pair in cut]
    rank = len(sizes)
    if len(cuts) != rank or len(value.shape) < rank + 1 or None in sizes or min(sizes) < 1:
        return tensor(None, value.dtype)
    batch, spatial = value.shape[0], value.shape[1:rank + 1]
    product = math.prod(sizes)
    out = []
    for size, block_size, (before, after) in zip(spatial, sizes, cuts):
        known = size is not None and before is not None and after is not None
        if api_name.startswith("batch"):
            out.append(size * block_size - before - after if known else None)
        else:
            grown = size + before + after if known else None
            out.append(grown // block_size if grown is not None and grown % block_size == 0 else None)
    if batch is not None:
        if api_name.startswith("batch"):
            batch = batch // product if batch % product == 0 else None
        else:
            batch = batch * product
    return tensor((batch, *out) + value.shape[rank + 1:], value.dtype)


def _pairs(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value)
