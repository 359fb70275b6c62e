// FXServer entry point: evaluated in the resource's global scope.
import { createNativeHost } from './fivem/natives';
import { startResource } from './fivem/start';

startResource(createNativeHost());
