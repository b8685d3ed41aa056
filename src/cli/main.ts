// `nnlab` command line: placeholder until the spec core lands.
console.log('nnlab: no commands yet');
