// The bundler test's page (../page.js), built by webpack.
import '../page.js';
