// The bundler test's page (../page.js), built by Vite.
import '../page.js';
