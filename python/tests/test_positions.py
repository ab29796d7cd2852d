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
    # One frame: t = start; h, w follow the grid.
    pos, delta = positions.rope_index([("text", 2), ("vision", 1, 2, 4), ("text", 1)], "qwen3_vl")
    assert pos.tolist() == [[0, 1, 2, 2, 4], [0, 1, 2, 2, 4], [0, 1, 2, 3, 4]]
    assert delta == 5 - 5
    # Two frames are two blocks, as HF splits video_grid_thw: the second
    # starts one past the first (a shared start with t = 0 was wrong).
    pos, delta = positions.rope_index([("text", 2), ("vision", 2, 2, 4), ("text", 1)], "qwen3_vl")
    assert pos[0].tolist() == [0, 1, 2, 2, 4, 4, 6]
    assert pos[1].tolist() == [0, 1, 2, 2, 4, 4, 6]
    assert pos[2].tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert delta == 7 - 7
    split = [("text", 2), ("vision", 1, 2, 4), ("vision", 1, 2, 4), ("text", 1)]
    assert np.array_equal(positions.rope_index(split, "qwen3_vl")[0], pos)


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
    # float32 time products beyond 2^24 (where HF's float32 rounding would matter).
    ([("vision", 2, 2, 2, 2 ** 23)], {"tokens_per_second": 2.5}, ValueError, r"2\^24"),
    ([("vision", 2, 2, 2, 2.0 ** 23)], {"tokens_per_second": 2, "time_rounding": "product"}, ValueError,
     r"2\^24"),
    ([("vision", 2, 2, 2, 1.0)], {"time_rounding": "exact"}, ValueError, "time_rounding must be one of"),
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


# --- Against HF's get_rope_index (issue #20) -------------------------------------------------
#
# `_hf_get_rope_index` is written from transformers 4.x's code, step by step
# in torch so that its dtypes (int64 ranges, float32 products, `.long()`) are
# HF's: Qwen2VLModel / Qwen2_5_VLModel / Qwen3VLModel.get_rope_index
# (modeling_qwen2_vl.py, modeling_qwen2_5_vl.py, modeling_qwen3_vl.py). It
# reads token ids as the model does: a block is found by its vision_start
# token, padding by the attention mask. `rounding` picks Qwen2.5-VL's time
# arithmetic: "seconds" converts second_per_grid_t with
# torch.as_tensor(s, dtype=int64) (transformers 4.49 to 4.57), "product"
# keeps it a float32 (transformers 4.48).

IMAGE, VIDEO, VISION_START = 151655, 151656, 151652


def _hf_get_rope_index(family, input_ids, image_grid_thw, video_grid_thw, second_per_grid_ts,
                       attention_mask, merge, tokens_per_second, rounding="seconds"):
    torch = pytest.importorskip("torch")
    if family == "qwen3_vl" and video_grid_thw is not None:
        video_grid_thw = torch.repeat_interleave(video_grid_thw, video_grid_thw[:, 0], dim=0)
        video_grid_thw[:, 0] = 1
    deltas = []
    if image_grid_thw is None and video_grid_thw is None:
        position_ids = attention_mask.long().cumsum(-1) - 1
        position_ids.masked_fill_(attention_mask == 0, 1)
        position_ids = position_ids.unsqueeze(0).expand(3, -1, -1)
        top = position_ids.max(0, keepdim=False)[0].max(-1, keepdim=True)[0]
        return position_ids, top + 1 - attention_mask.shape[-1]
    total = input_ids
    position_ids = torch.ones(3, total.shape[0], total.shape[1], dtype=total.dtype)
    image_index = video_index = 0
    for i, ids in enumerate(total):
        ids = ids[attention_mask[i] == 1]
        starts = torch.argwhere(ids == VISION_START).squeeze(1)
        after = ids[starts + 1]
        image_nums, video_nums = (after == IMAGE).sum(), (after == VIDEO).sum()
        tokens = ids.tolist()
        chunks = []
        st = 0
        remain_images, remain_videos = image_nums, video_nums
        for _ in range(image_nums + video_nums):
            ed_image = tokens.index(IMAGE, st) if IMAGE in tokens and remain_images > 0 else len(tokens) + 1
            ed_video = tokens.index(VIDEO, st) if VIDEO in tokens and remain_videos > 0 else len(tokens) + 1
            if ed_image < ed_video:
                t, h, w = image_grid_thw[image_index]
                second_per_grid_t = 0
                image_index += 1
                remain_images -= 1
                ed = ed_image
            else:
                t, h, w = video_grid_thw[video_index]
                # Only Qwen2.5-VL's code reads second_per_grid_ts.
                if family == "qwen2_5_vl" and second_per_grid_ts is not None:
                    second_per_grid_t = second_per_grid_ts[video_index]
                else:
                    second_per_grid_t = 1.0
                video_index += 1
                remain_videos -= 1
                ed = ed_video
            gt, gh, gw = t.item(), h.item() // merge, w.item() // merge
            text_len = ed - st
            st_idx = chunks[-1].max() + 1 if chunks else 0
            chunks.append(torch.arange(text_len).view(1, -1).expand(3, -1) + st_idx)
            range_tensor = torch.arange(gt).view(-1, 1)
            expanded = range_tensor.expand(-1, gh * gw)
            if family == "qwen2_5_vl":
                if rounding == "seconds":
                    second_per_grid_t = torch.as_tensor(second_per_grid_t, dtype=range_tensor.dtype)
                t_index = (expanded * second_per_grid_t * tokens_per_second).long().flatten()
            else:
                t_index = expanded.flatten()
            h_index = torch.arange(gh).view(1, -1, 1).expand(gt, -1, gw).flatten()
            w_index = torch.arange(gw).view(1, 1, -1).expand(gt, gh, -1).flatten()
            chunks.append(torch.stack([t_index, h_index, w_index]) + text_len + st_idx)
            st = ed + gt * gh * gw
        if st < len(tokens):
            st_idx = chunks[-1].max() + 1 if chunks else 0
            chunks.append(torch.arange(len(tokens) - st).view(1, -1).expand(3, -1) + st_idx)
        llm_positions = torch.cat(chunks, dim=1).reshape(3, -1)
        position_ids[..., i, attention_mask[i] == 1] = llm_positions
        deltas.append(llm_positions.max() + 1 - len(total[i]))
    return position_ids, torch.tensor(deltas).unsqueeze(1)


def _random_prompt(rng, family, merge, videos=True):
    """(our segments, HF token ids, image grids, video grids, seconds per grid) of
    one prompt laid out as the processors lay it out: every block right after
    a text run ending in vision_start; Qwen3-VL videos frame by frame after
    timestamp text."""
    segs, ids, images, videos_thw, seconds = [], [], [], [], []

    def text(n, then_vision):
        tok = list(rng.integers(10, 1000, size=n))
        if then_vision:
            tok[-1] = VISION_START
        segs.append(("text", n))
        ids.extend(tok)

    for _ in range(int(rng.integers(1, 4))):
        text(int(rng.integers(1, 6)), True)
        h, w = (int(merge * rng.integers(1, 6)) for _ in range(2))
        if videos and rng.random() < 0.5:
            t = int(rng.integers(1, 5))
            # Dyadic seconds per grid, and 2 / fps for fps 6, 3, 20
            # (float32 rounding of s * tokens_per_second shows there).
            s = float(rng.choice([0.25, 0.5, 1.0, 2.0, 0.75, 1.5, 3.0, 1 / 3, 2 / 3, 0.1]))
            videos_thw.append([t, h, w])
            seconds.append(s)
            per_frame = (h // merge) * (w // merge)
            if family == "qwen3_vl":
                for f in range(t):
                    if f:
                        text(int(rng.integers(1, 4)), True)
                    segs.append(("vision", 1, h, w))
                    ids.extend([VIDEO] * per_frame)
            else:
                segs.append(("vision", t, h, w, s))
                ids.extend([VIDEO] * (t * per_frame))
        else:
            images.append([1, h, w])
            segs.append(("vision", 1, h, w))
            ids.extend([IMAGE] * ((h // merge) * (w // merge)))
    if rng.random() < 0.7:
        text(int(rng.integers(1, 6)), False)
    return segs, ids, images, videos_thw, seconds


def _hf_batch(prompts, family, merge, tps, rounding, side):
    torch = pytest.importorskip("torch")
    length = max(len(p[1]) for p in prompts)
    ids = torch.zeros((len(prompts), length), dtype=torch.int64)
    mask = torch.zeros_like(ids)
    for b, p in enumerate(prompts):
        n = len(p[1])
        cols = slice(length - n, length) if side == "left" else slice(0, n)
        ids[b, cols] = torch.tensor(p[1], dtype=torch.int64)
        mask[b, cols] = 1
    images = [g for p in prompts for g in p[2]]
    videos = [g for p in prompts for g in p[3]]
    seconds = [s for p in prompts for s in p[4]]
    return _hf_get_rope_index(
        family, ids, torch.tensor(images) if images else None, torch.tensor(videos) if videos else None,
        torch.tensor(seconds, dtype=torch.float32) if seconds else None, mask, merge, tps, rounding)


@pytest.mark.parametrize("family", positions.FAMILIES)
@pytest.mark.parametrize("rounding", positions.TIME_ROUNDINGS)
def test_matches_hf_get_rope_index(family, rounding):
    """Random prompts (several images and videos, grids 1-4 frames of 1-5 x 1-5
    merged patches, fractional seconds per grid) against HF's own code."""
    rng = np.random.default_rng(2020 + positions.FAMILIES.index(family))
    for trial in range(40):
        merge = int(rng.choice([1, 2, 3]))
        tps = [2, 25, 1.5, 0.5, 0.7][trial % 5]
        segs, ids, images, videos, seconds = _random_prompt(rng, family, merge)
        pos, delta = positions.rope_index(segs, family, merge, tps, rounding)
        hpos, hdelta = _hf_batch([(segs, ids, images, videos, seconds)], family, merge, tps, rounding, "left")
        assert pos.shape == (3, len(ids))
        np.testing.assert_array_equal(pos, hpos[:, 0].numpy(), err_msg=str(segs))
        assert delta == int(hdelta[0, 0])


@pytest.mark.parametrize("side", positions.PADDING_SIDES)
@pytest.mark.parametrize("family", positions.FAMILIES)
def test_batch_matches_hf_with_attention_mask(family, side):
    rng = np.random.default_rng(7 + len(family))
    for trial in range(12):
        merge = 2
        prompts = [_random_prompt(rng, family, merge) for _ in range(int(rng.integers(1, 4)))]
        # A text-only row next to multimodal ones.
        prompts.append(([("text", 3)], list(rng.integers(10, 1000, size=3)), [], [], []))
        pos, deltas = positions.batch_rope_index([p[0] for p in prompts], family, merge, 2,
                                                 padding_side=side)
        hpos, hdeltas = _hf_batch(prompts, family, merge, 2, "seconds", side)
        np.testing.assert_array_equal(pos, hpos.numpy())
        np.testing.assert_array_equal(deltas, hdeltas[:, 0].numpy())


@pytest.mark.parametrize("side", positions.PADDING_SIDES)
def test_batch_text_only_matches_hf(side):
    # HF's text-only path: its delta counts the padding's position 1 (rows of
    # 0 and 1 real tokens differ from the multimodal path there).
    batch = [[("text", 5)], [("text", 1)], [("text", 0)], [("text", 2), ("text", 1)]]
    pos, deltas = positions.batch_rope_index(batch, "qwen2_vl", padding_side=side)
    prompts = [(b, [11] * sum(n for _, n in b), [], [], []) for b in batch]
    hpos, hdeltas = _hf_batch(prompts, "qwen2_vl", 2, 2, "seconds", side)
    np.testing.assert_array_equal(pos, hpos.numpy())
    np.testing.assert_array_equal(deltas, hdeltas[:, 0].numpy())
    assert deltas.tolist() == [0, -3, -3, -2]


@pytest.mark.parametrize("seconds, seconds_t, product_t", [
    # tokens_per_second 2, frames 0..3: SPEC R6 truncates s first.
    (0.25, [0, 0, 0, 0], [0, 0, 1, 1]),
    (0.5, [0, 0, 0, 0], [0, 1, 2, 3]),
    (1.0, [0, 2, 4, 6], [0, 2, 4, 6]),
    (1.5, [0, 2, 4, 6], [0, 3, 6, 9]),
    (2.0, [0, 4, 8, 12], [0, 4, 8, 12]),
])
def test_fractional_second_per_grid(seconds, seconds_t, product_t):
    for rounding, expect in (("seconds", seconds_t), ("product", product_t)):
        pos, _ = positions.rope_index([("vision", 4, 2, 2, seconds)], "qwen2_5_vl", 2, 2, rounding)
        assert pos[0].tolist() == expect, rounding


def test_float32_time_products():
    # s = 1/3 (fps 6): HF's float32 products round 15 * f32(1/3) * 25 to 125
    # where float64 truncates 124.99... to 124, and 7 * f32(1/3) * 3 to 7 (6 in
    # float64): rope_index follows float32.
    for tps, frame, expect in ((25, 15, 125), (3, 7, 7)):
        pos, _ = positions.rope_index([("vision", frame + 1, 2, 2, 1 / 3)], "qwen2_5_vl", 2, tps, "product")
        assert pos[0, -1] == expect
    # "seconds" with a fractional tokens_per_second: int64 90 * 0.7 is 63.0 in
    # float32 (62.99... -> 62 in float64).
    pos, _ = positions.rope_index([("vision", 91, 2, 2, 1.0)], "qwen2_5_vl", 2, 0.7)
    assert pos[0, -1] == 63
    for seconds in (1 / 3, 1.0, 2 / 3):
        segs = [("text", 1), ("vision", 91, 2, 2, seconds), ("text", 2)]
        ids = [VISION_START] + [VIDEO] * 91 + [5, 6]
        for tps in (25, 3, 0.7):
            for rounding in positions.TIME_ROUNDINGS:
                pos, delta = positions.rope_index(segs, "qwen2_5_vl", 2, tps, rounding)
                hpos, hdelta = _hf_batch([(segs, ids, [], [[91, 2, 2]], [seconds])], "qwen2_5_vl", 2, tps,
                                         rounding, "left")
                np.testing.assert_array_equal(pos, hpos[:, 0].numpy())
                assert delta == int(hdelta[0, 0])


def test_batch_decode_continues_from_delta():
    batch = [[("text", 2), ("vision", 1, 4, 4), ("text", 1)], [("text", 1)]]
    pos, deltas = positions.batch_rope_index(batch, "qwen2_vl")
    # Row 0: text 0, 1; a 2 x 2 block from 2 (h, w up to 3); text at 4. L = 7.
    assert pos.shape == (3, 2, 7)
    assert deltas.tolist() == [4 + 1 - 7, 0 + 1 - 7]
    assert pos[:, 1, :6].tolist() == [[1] * 6] * 3  # left padding
    assert pos[:, 1, 6].tolist() == [0, 0, 0]
    assert positions.decode_positions(7, 2, int(deltas[0])).tolist() == [[5, 6]] * 3


def test_batch_errors():
    with pytest.raises(ValueError, match="padding_side"):
        positions.batch_rope_index([[("text", 1)]], "qwen2_vl", padding_side="middle")
    with pytest.raises(ValueError, match="no sequences"):
        positions.batch_rope_index([], "qwen2_vl")
    with pytest.raises(ValueError, match="no tokens"):
        positions.batch_rope_index([[("text", 0)]], "qwen2_vl")
    with pytest.raises(ValueError, match="sequence 1 has no tokens"):
        positions.batch_rope_index([[("text", 1), ("vision", 1, 2, 2)], []], "qwen2_vl")
    with pytest.raises(TypeError, match="list of segment lists"):
        positions.batch_rope_index("text", "qwen2_vl")
