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
    # 0.5 s per grid at 3 tokens/s: floor(1.5 * t_idx).
    pos, _ = positions.rope_index([("vision", 3, 2, 2, 0.5)], "qwen2_5_vl", tokens_per_second=3)
    assert pos[0].tolist() == [0, 1, 3]


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


def test_matches_reference_shapes():
    pos, _ = positions.rope_index([("text", 4), ("vision", 1, 8, 8), ("text", 4)], "qwen3_vl")
    assert pos.shape == (3, 4 + 16 + 4) and pos.dtype == np.int64
