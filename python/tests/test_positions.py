import numpy as np
import pytest

from rope_mlir import positions


def test_text_only():
    pos, delta = positions.rope_index([("text", 5)], "qwen2_vl")
    assert pos.tolist() == [[0, 1, 2, 3, 4]] * 3
    assert delta == 0


def test_qwen2_vl_image_worked_example():
    # 3 text tokens, an image of 1 x 4 x 6 patches (2 x 3 after merge 2), 2 text tokens.
    pos, delta = positions.rope_index([("text", 3), ("vision", 1, 4, 6), ("text", 2)], "qwen2_vl")
    assert pos[0].tolist() == [0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7]
    assert pos[1].tolist() == [0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7]
    assert pos[2].tolist() == [0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7]
    # Next text starts at max + 1 = 6; decoding continues from 8.
    assert delta == 8 - 11
    assert positions.decode_positions(11, 2, delta).tolist() == [[8, 9]] * 3


def test_qwen2_vl_video_time_steps():
    pos, _ = positions.rope_index([("vision", 2, 2, 2)], "qwen2_vl")
    assert pos.tolist() == [[0, 1], [0, 0], [0, 0]]


def test_qwen2_5_vl_time_scale():
    # second_per_grid_t 1.0, tokens_per_second 2: t = 2 * t_idx.
    pos, _ = positions.rope_index([("text", 1), ("vision", 3, 2, 2, 1.0)], "qwen2_5_vl",
                                  tokens_per_second=2)
    assert pos[0].tolist() == [0, 1, 3, 5]
    # SPEC R6 / HF: second_per_grid_t is converted to int64 first
    # (torch.as_tensor(s, dtype=range_tensor.dtype)), so 0.5 s per grid is 0
    # and every frame gets t = start (floor(1.5 * t_idx) = [0, 1, 3] was wrong).
    pos, delta = positions.rope_index([("vision", 3, 2, 2, 0.5)], "qwen2_5_vl", tokens_per_second=3)
    assert pos[0].tolist() == [0, 0, 0]
    assert delta == 1 - 3
    # 1.9 s truncates to 1; a fractional tokens_per_second multiplies the
    # integer product, and .long() truncates that: floor(2.5 * t_idx).
    pos, _ = positions.rope_index([("vision", 3, 2, 2, 1.9)], "qwen2_5_vl", tokens_per_second=2.5)
    assert pos[0].tolist() == [0, 2, 5]
    pos, _ = positions.rope_index([("vision", 3, 2, 2, 2.5)], "qwen2_5_vl", tokens_per_second=3)
    assert pos[0].tolist() == [0, 6, 12]


def test_qwen3_vl_no_time_index():
    pos, delta = positions.rope_index([("text", 2), ("vision", 2, 2, 4), ("text", 1)], "qwen3_vl")
    # Every frame has t = start; h, w follow the grid.
    assert pos[0].tolist() == [0, 1, 2, 2, 2, 2, 4]
    assert pos[1].tolist() == [0, 1, 2, 2, 2, 2, 4]
    assert pos[2].tolist() == [0, 1, 2, 3, 2, 3, 4]
    assert delta == 5 - 7


def test_errors():
    with pytest.raises(ValueError, match="family"):
        positions.rope_index([("text", 1)], "llava")
    with pytest.raises(ValueError, match="multiples of 2"):
        positions.rope_index([("vision", 1, 3, 4)], "qwen2_vl")
    with pytest.raises(ValueError, match="unknown segment"):
        positions.rope_index([("audio", 3)], "qwen2_vl")


@pytest.mark.parametrize("args, kwargs, error, message", [
    # Was a ZeroDivisionError.
    ([("vision", 1, 4, 4)], {"spatial_merge_size": 0}, ValueError, "spatial_merge_size must be positive"),
    ([("vision", 1, 4, 4)], {"spatial_merge_size": -2}, ValueError, "spatial_merge_size must be positive"),
    ([("vision", 1, 4, 4)], {"spatial_merge_size": 2.0}, TypeError, "spatial_merge_size must be an integer"),
    ([("vision", 1, 4, 4)], {"spatial_merge_size": True}, TypeError, "spatial_merge_size must be an integer"),
    # Was 3 tokens for 2.5.
    ([("text", 2.5)], {}, TypeError, "text length must be an integer, got 2.5"),
    ([("text", "3")], {}, TypeError, "text length must be an integer"),
    ([("text", -1)], {}, ValueError, "text length must be >= 0"),
    ([("text", 1, 2)], {}, ValueError, "a text segment is"),
    ([("text",)], {}, ValueError, "a text segment is"),
    (["text"], {}, ValueError, "a segment is"),
    ([()], {}, ValueError, "a segment is"),
    ([("vision", 1.5, 2, 2)], {}, TypeError, "vision grid T must be an integer"),
    ([("vision", 1, 0, 2)], {}, ValueError, "vision grid H must be positive"),
    ([("vision", 1, 2, -2)], {}, ValueError, "vision grid W must be positive"),
    ([("vision", 1, 2)], {}, ValueError, "a vision segment is"),
    ([("vision", 1, 2, 2, 1.0, 3)], {}, ValueError, "a vision segment is"),
    ([("vision", 1, 2, 6)], {"spatial_merge_size": 4}, ValueError, r"multiples of 4 \(spatial_merge_size\)"),
    # Was int64-min positions with a numpy warning.
    ([("vision", 2, 2, 2, 1.0)], {"tokens_per_second": float("nan")}, ValueError,
     "tokens_per_second must be finite and non-negative, got nan"),
    ([("vision", 2, 2, 2, 1.0)], {"tokens_per_second": float("inf")}, ValueError, "tokens_per_second must be finite"),
    ([("vision", 2, 2, 2, 1.0)], {"tokens_per_second": -2}, ValueError, "tokens_per_second must be finite"),
    ([("vision", 2, 2, 2, 1.0)], {"tokens_per_second": "2"}, TypeError, "tokens_per_second must be a number"),
    ([("vision", 2, 2, 2, float("nan"))], {}, ValueError, "second_per_grid_t must be finite and non-negative"),
    ([("vision", 2, 2, 2, -1.0)], {}, ValueError, "second_per_grid_t must be finite and non-negative"),
    ([("vision", 2, 2, 2, True)], {}, TypeError, "second_per_grid_t must be a number"),
    # Positions past int64 (was a silent wrap-around).
    ([("vision", 2, 2, 2, 2 ** 62)], {"tokens_per_second": 4}, ValueError, r"beyond 2\^62"),
    ([("vision", 2, 2, 2, 1e300)], {"tokens_per_second": 1e300}, ValueError, r"beyond 2\^62"),
])
def test_bad_arguments_raise(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        positions.rope_index(args, "qwen2_5_vl", **kwargs)


def test_numpy_integers_are_counts():
    # grid_thw usually comes from an array.
    grid = np.array([1, 4, 6])
    pos, _ = positions.rope_index([("text", np.int64(3)), ("vision", *grid)], "qwen2_vl")
    assert pos.shape == (3, 9)


def test_matches_reference_shapes():
    pos, _ = positions.rope_index([("text", 4), ("vision", 1, 8, 8), ("text", 4)], "qwen3_vl")
    assert pos.shape == (3, 4 + 16 + 4) and pos.dtype == np.int64
