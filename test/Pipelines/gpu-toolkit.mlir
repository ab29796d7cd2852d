// The GPU pipeline's CUDA toolkit reaches gpu-module-to-binary as its option,
// never through the process environment (a host compiler's environment is
// not ours to change): the toolkit option first (spaces kept), else
// CUDA_ROOT, CUDA_HOME, CUDA_PATH, else /usr/local/cuda.
// RUN: rope-opt %s "--rope-gpu-pipeline=toolkit={/opt/my cuda}" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: env -u CUDA_ROOT -u CUDA_PATH CUDA_HOME=/opt/cuda-home rope-opt %s --rope-gpu-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=HOME
// RUN: env -u CUDA_ROOT -u CUDA_HOME -u CUDA_PATH rope-opt %s --rope-gpu-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEFAULT
// RUN: not rope-opt %s "--rope-gpu-pipeline=toolkit=/a{b" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BRACE

// OPTION: gpu-module-to-binary{format=fatbin {{.*}}toolkit={/opt/my cuda}}
// HOME: gpu-module-to-binary{format=fatbin {{.*}}toolkit=/opt/cuda-home}
// DEFAULT: gpu-module-to-binary{format=fatbin {{.*}}toolkit=/usr/local/cuda}
// BRACE: rope-gpu-pipeline: toolkit: a path with '{' or '}' is not supported, got '/a{b'
module {}
