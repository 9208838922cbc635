/**
 * The browser bundle's entry (built by esbuild into src/web/public/build/main.js, loaded as a module
 * from every page). Pages work without it; it enhances what it finds.
 */
import { enhanceFillForm } from './fillPage.js';
import { guardSignOut } from './signOut.js';

const fillForm = document.querySelector<HTMLFormElement>('#fill-form');
if (fillForm) enhanceFillForm(fillForm);
guardSignOut(document);
