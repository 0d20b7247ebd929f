import { describeStack } from './stack-suite.js';

describeStack('dev');
