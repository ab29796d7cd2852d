"""One rotation compiled under several pipeline options, for tests that
check the options do not change the numbers."""

from rope_mlir import RopeKernel


def rotate_under(options_list, spec, layout, q, k, positions, *, q_heads, k_heads, dtype,
                 in_place):
    """(q_out, k_out) of a kernel built with each option string, in order.
    In-place kernels rotate their own copies of q and k."""
    results = []
    for options in options_list:
        kern = RopeKernel(spec, layout, q_heads=q_heads, k_heads=k_heads, dtype=dtype,
                          in_place=in_place, pipeline_options=options)
        q_run, k_run = q.copy(), k.copy()
        if in_place:
            kern(q_run, k_run, positions)
            results.append((q_run, k_run))
        else:
            results.append(kern(q_run, k_run, positions))
    return results
