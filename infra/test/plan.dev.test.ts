import { describePlan } from './plan-suite.js';

describePlan('dev');
