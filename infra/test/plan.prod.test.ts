import { describePlan } from './plan-suite.js';

describePlan('prod');
